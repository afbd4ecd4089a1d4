"""The notification centre, taken over from the directory app (``agencies.0006``): the state only,
on the table that already exists."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('agencies', '0006_notification_moves_to_common'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Notification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(default='other', max_length=32, verbose_name='loại')),
                        ('title', models.CharField(max_length=255, verbose_name='tiêu đề')),
                        ('body', models.TextField(blank=True, verbose_name='nội dung')),
                        ('url', models.CharField(blank=True, max_length=500, verbose_name='đường dẫn')),
                        ('object_id', models.PositiveBigIntegerField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='thời điểm tạo')),
                        ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='đã đọc lúc')),
                        ('email_status', models.CharField(choices=[('not_requested', 'Không gửi thư'), ('no_address', 'Không có địa chỉ thư'), ('pending', 'Chờ gửi'), ('sending', 'Đang gửi'), ('sent', 'Đã gửi'), ('failed', 'Gửi thất bại')], default='not_requested', max_length=16, verbose_name='trạng thái thư')),
                        ('email_attempts', models.PositiveSmallIntegerField(default=0, verbose_name='số lần gửi thư')),
                        ('email_error', models.TextField(blank=True, verbose_name='lỗi gửi thư')),
                        ('email_claim', models.CharField(blank=True, editable=False, max_length=64)),
                        ('email_claimed_at', models.DateTimeField(blank=True, editable=False, null=True)),
                        ('emailed_at', models.DateTimeField(blank=True, null=True, verbose_name='đã gửi thư lúc')),
                        ('content_type', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype')),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL, verbose_name='người nhận')),
                    ],
                    options={
                        'verbose_name': 'thông báo',
                        'verbose_name_plural': 'thông báo',
                        'ordering': ['-created_at', '-pk'],
                        'db_table': 'agencies_notification',
                        'indexes': [models.Index(fields=['recipient', 'read_at'], name='notification_unread_idx'), models.Index(fields=['email_status', 'email_claimed_at'], name='notification_outbox_idx')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('email_status__in', ['not_requested', 'no_address', 'pending', 'sending', 'sent', 'failed'])), name='notification_email_status_valid'), models.CheckConstraint(condition=models.Q(('title', ''), _negated=True), name='notification_title_not_empty'), models.CheckConstraint(condition=models.Q(models.Q(('email_status', 'sent'), ('emailed_at__isnull', False)), models.Q(models.Q(('email_status', 'sent'), _negated=True), ('emailed_at__isnull', True)), _connector='OR'), name='notification_emailed_at_iff_sent'), models.CheckConstraint(condition=models.Q(models.Q(('content_type__isnull', True), ('object_id__isnull', True)), models.Q(('content_type__isnull', False), ('object_id__isnull', False)), _connector='OR'), name='notification_object_ref_complete')],
                    },
                ),
            ],
        ),
    ]
