"""xapi's personal data: the pseudonym, and the statements produced about the person (found by that pseudonym)."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from lms.personal_data import ErasureStep, Expiry, ExtraTable, PersonalData, Rows, register, rows

from .models import OutboxState, OutboxStatement, XapiPseudonym

STATEMENTS_LABEL = "xapi.OutboxStatement (statements about you)"


def _pseudonym(user) -> str | None:
    return XapiPseudonym.objects.filter(user=user).values_list("pseudonym", flat=True).first()


def statement_rows(user) -> Rows:
    """The statements about the person, as sent (`privacy` then removes what the learner has not been shown)."""
    pseudonym = _pseudonym(user)
    if not pseudonym:
        return []
    return rows(OutboxStatement, OutboxStatement.objects.filter(actor_name=pseudonym).order_by("pk"))


def erase(user) -> dict[str, int]:
    done = {}
    pseudonym = _pseudonym(user)
    if pseudonym:
        # Statements not yet delivered are dropped; delivered ones leave the outbox. The LRS keeps only the
        # pseudonym, which nothing links to the person once the mapping below is gone.
        done["xapi.OutboxStatement"] = OutboxStatement.objects.filter(actor_name=pseudonym).delete()[0]
    done["xapi.XapiPseudonym"] = XapiPseudonym.objects.filter(user=user).delete()[0]
    return done


def sent_statements(cutoff: dt.datetime):
    return [OutboxStatement.objects.filter(state=OutboxState.SENT, sent_at__lt=cutoff)]


register(
    PersonalData(
        app_label="xapi",
        tables=("xapi.XapiPseudonym",),
        extra_tables={
            STATEMENTS_LABEL: ExtraTable(
                _("Learning statements about you (sent to the learning record store under a pseudonym)"),
                statement_rows,
            )
        },
        erasure=[ErasureStep(10, erase)],
        expiries=[Expiry("statements_purged", "SENT_STATEMENTS_DAYS", sent_statements)],
    )
)
