from io import StringIO

from django.core.management import call_command
from django.db import transaction

import pytest

from xapi import outbox

from .factories import many

pytestmark = pytest.mark.django_db


def test_without_an_lrs_once_says_statements_wait():
    with transaction.atomic():
        outbox.enqueue(many(4))
    out = StringIO()
    call_command("send_statements", "--once", stdout=out)
    assert "No LRS configured" in out.getvalue() and "4 statement(s) wait" in out.getvalue()


@pytest.mark.parametrize("bad", [["--batch-size", "0"], ["--timeout", "-1"], ["--lease", "0"]])
def test_bad_input_exits_non_zero(bad):
    err = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("send_statements", "--once", "--endpoint", "http://127.0.0.1:9/xAPI", *bad, stderr=err)
    assert exit_info.value.code == 2 and "must be positive" in err.getvalue()


def test_unreachable_lrs_exits_1():
    with transaction.atomic():
        outbox.enqueue(many(1))
    out = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("send_statements", "--once", "--endpoint", "http://127.0.0.1:9/xAPI", "--timeout", "2", stdout=out)
    assert exit_info.value.code == 1 and "LRS unavailable" in out.getvalue()
