"""Factories of the agencies app."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User

from agencies.models import Agency, AgencyKind, Membership, Person, PersonKind, Role

__all__ = ["AgencyFactory", "PersonFactory", "UserFactory", "MembershipFactory", "user_with_role"]


class AgencyFactory(factory.django.DjangoModelFactory[Agency]):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"ag{n:04d}")
    name = factory.Sequence(lambda n: f"Ủy ban nhân dân phường {n}")
    kind = AgencyKind.COMMUNE_PC
    parent = None


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person

    agency = factory.SubFactory(AgencyFactory)
    code = factory.Sequence(lambda n: f"p{n:05d}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    kind = PersonKind.CIVIL_SERVANT
    position = "Công chức"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.gov.vn")
    password = factory.django.Password("demo-2026")


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Role.STAFF


def user_with_role(role: str, agency: Agency, **user_fields: object) -> User:
    """A new user holding ``role`` in ``agency``."""
    user = UserFactory.create(**user_fields)
    MembershipFactory.create(user=user, agency=agency, role=role)
    return user
