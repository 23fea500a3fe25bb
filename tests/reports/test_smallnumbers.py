"""The "< 5" rule and its neighbours, in the rule module, the dashboard, the filters and the dashboard export."""

import datetime as dt

from django.urls import reverse

from lms import smallnumbers as sn
from lms.scoping import scope_for
from reports import dashboard, selectors


def test_counts_below_five_show_less_than_five():
    assert [str(sn.count(n)) for n in (0, 1, 4, 5, 12)] == ["< 5", "< 5", "< 5", "5", "12"]
    assert sn.count(3).suppressed and sn.count(3).shown_value is None


def test_rates_hidden_when_any_side_is_small():
    assert str(sn.rate(10, 20)) == "50 %"
    assert sn.rate(3, 20).suppressed  # numerator < 5
    assert sn.rate(4, 4).suppressed  # denominator < 5
    assert sn.rate(17, 20).suppressed  # 3 did not complete: recomputable
    assert sn.rate(20, 20).suppressed  # 0 did not complete
    assert str(sn.rate(15, 20)) == "75 %"


def test_part_of_whole_hides_the_recomputable_complement():
    assert str(sn.part_of(3, 20)) == "< 5"
    assert str(sn.part_of(18, 20)) == sn.HIDDEN  # 20 − 18 = 2 people
    assert str(sn.part_of(10, 20)) == "10"


def test_complementary_suppression_hides_the_next_smallest():
    group = sn.complement([sn.count(2), sn.count(9), sn.count(7), sn.count(30)])
    assert [str(f) for f in group] == ["< 5", "9", sn.HIDDEN, "30"]
    # two already suppressed: nothing more needed
    group = sn.complement([sn.count(2), sn.count(3), sn.count(7)])
    assert [str(f) for f in group] == ["< 5", "< 5", "7"]
    # none suppressed: unchanged
    assert [str(f) for f in sn.complement([sn.count(8), sn.count(9)])] == ["8", "9"]


def test_dashboard_figures_follow_the_rule(populated):
    board = dashboard.dashboard(scope=scope_for(populated.users["admin"]), today=dt.date(2026, 11, 30))
    # 17 enrolments, 9 completed
    assert str(board.total.enrolled) == "17" and str(board.total.completed) == "9" and str(board.total.rate) == "53 %"
    etabs = {r.label.split(" (")[0]: r for r in board.establishments}
    # t2 has 3 learners: "< 5"; it would then be recomputable from the total (17 − 8 − 6), so the next smallest
    # count of the column (Clemenceau, 6) is hidden too
    assert str(etabs['=HYPERLINK("http://evil")'].enrolled) == "< 5"
    assert str(etabs["Lycée Clemenceau"].enrolled) == sn.HIDDEN
    assert str(etabs["Collège Jean Jaurès"].enrolled) == "8"
    # Jaurès: 6 of 8 completed → 2 not completed: completions and rate hidden
    assert etabs["Collège Jean Jaurès"].rate.suppressed and etabs["Collège Jean Jaurès"].completed.suppressed
    # Clemenceau: 3 of 6 completed → "< 5", rate hidden
    assert str(etabs["Lycée Clemenceau"].completed) == "< 5" and etabs["Lycée Clemenceau"].rate.suppressed
    months = {m.month: m for m in board.months}
    assert str(months[dt.date(2026, 9, 1)].enrolled) == "14"
    assert str(months[dt.date(2026, 11, 1)].enrolled) == "< 5"  # 3 in November
    assert len(board.months) == 12
    # the Toulouse copy counts with the national course
    assert [r.label for r in board.courses] == ["IA générative : les bases"]
    assert str(board.courses[0].enrolled) == "17"


def test_no_suppressed_value_reaches_the_page(client, populated):
    client.force_login(populated.users["admin"])
    html = client.get(reverse("reports_admin:dashboard")).content.decode()
    assert "&lt; 5" in html
    # the true counts of suppressed cells (3 in t2, 6 in Clemenceau) are not printed in the establishment table
    table = html.split('<th scope="row">Collège Jean Jaurès')[1].split("</table>")[0]
    print(table)
    assert ">3<" not in table and ">6<" not in table


def test_filter_counts_follow_the_rule(populated):
    choices = selectors.filter_choices(scope=scope_for(populated.users["admin"]))
    etabs = {c.label.split(" (")[0]: str(c.count) for c in choices["establishment"]}
    assert etabs["Lycée Clemenceau"] == "6"
    assert etabs['=HYPERLINK("http://evil")'] == "< 5"


def test_dashboard_export_uses_the_same_rule(client, populated):
    client.force_login(populated.users["manager_toulouse"])
    response = client.get(reverse("reports_admin:dashboard_export"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "< 5" in text
    lines = [line for line in text.splitlines() if "HYPERLINK" in line]
    assert lines and all("< 5" in line for line in lines)
    assert all(";3;" not in line and ",3," not in line for line in lines)


def test_report_total_follows_the_rule(client, populated):
    client.force_login(populated.users["manager_toulouse"])
    etab = populated.etabs["t2"]
    response = client.get(reverse("reports_admin:completions"), {"establishment": etab.pk})
    assert str(response.context["total"]) == "< 5"
