"""What only reads the award cycle, one module per model beside ``awards.domain`` (which writes):
the lists a user reaches and their quota use (``proposal_list``), the council's candidates and a
member's own votes (``council``), the decision in force, its annex and the public results
(``decision``). Nothing here writes."""
