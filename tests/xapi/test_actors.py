import hashlib

import pytest

from xapi.actors import actor_for, pseudonym_for
from xapi.models import XapiPseudonym

pytestmark = pytest.mark.django_db


def test_actor_is_an_account_with_a_random_pseudonym(make_user):
    user = make_user(email="claire.martin@ac-lyon.fr", first_name="Claire", last_name="Martin")
    actor = actor_for(user)
    assert actor == {
        "objectType": "Agent",
        "account": {"homePage": "https://formation-ia.example.org", "name": actor["account"]["name"]},
    }
    name = actor["account"]["name"]
    assert len(name) == 32
    for leak in ("claire", "martin", "ac-lyon"):
        assert leak not in name.lower()
    assert name not in {str(user.pk), hashlib.md5(user.email.encode()).hexdigest()}  # noqa: S324


def test_same_learner_same_pseudonym_other_learner_other_one(make_user):
    a = make_user(email="a@ac-lyon.fr")
    b = make_user(email="b@ac-lyon.fr")
    first = actor_for(a)
    # A fresh instance (another request) finds the stored mapping.
    again = actor_for(type(a).objects.get(pk=a.pk))
    assert first == again
    assert actor_for(b)["account"]["name"] != first["account"]["name"]
    assert XapiPseudonym.objects.count() == 2


def test_pseudonym_is_not_derived_from_the_user(make_user):
    """Two databases holding the same user get different pseudonyms: nothing is computed from e-mail or id."""
    user = make_user(email="same@ac-lyon.fr")
    first = pseudonym_for(user)
    XapiPseudonym.objects.filter(user=user).delete()
    assert pseudonym_for(type(user).objects.get(pk=user.pk)) != first


def test_deleting_the_mapping_keeps_the_user(make_user):
    user = make_user()
    actor_for(user)
    XapiPseudonym.objects.filter(user=user).delete()
    assert type(user).objects.filter(pk=user.pk).exists()


def test_actor_for_costs_no_query_once_known(make_user, django_assert_max_num_queries):
    user = make_user()
    actor_for(user)
    with django_assert_max_num_queries(0):
        actor_for(user)
