from django.core.exceptions import ValidationError

import pytest

from lms.uai import uai_check_letter, validate_uai


@pytest.mark.parametrize("uai", ["0750655E", "0750655e", " 0750655E ", "6200001G", "7200002P", "9710001Z"])
def test_valid_codes_are_accepted(uai):
    validate_uai(uai)


def test_check_letter_is_number_mod_23():
    # 750655 mod 23 = 4 -> the fifth letter of ABCDEFGHJKLMNPRSTUVWXYZ
    assert 750655 % 23 == 4
    assert uai_check_letter("0750655") == "E"


def test_wrong_letter_is_refused_with_the_expected_letter():
    with pytest.raises(ValidationError) as exc:
        validate_uai("0750655F")
    assert exc.value.code == "uai_check_letter"
    assert "E" in exc.value.messages[0]


@pytest.mark.parametrize("uai", ["0750655", "07506550E", ""])
def test_wrong_length_is_refused(uai):
    with pytest.raises(ValidationError) as exc:
        validate_uai(uai)
    assert exc.value.code == "uai_length"


@pytest.mark.parametrize("uai", ["2A00001X", "ABCDEFGH", "0750655I"])
def test_wrong_shape_is_refused(uai):
    # Corsica's UAI use 620/720, never "2A"/"2B"; I, O, Q are never check letters.
    with pytest.raises(ValidationError) as exc:
        validate_uai(uai)
    assert exc.value.code in {"uai_format", "uai_check_letter"}


def test_letters_never_include_i_o_q():
    letters = {uai_check_letter(f"{n:07d}") for n in range(0, 2300)}
    assert letters.isdisjoint({"I", "O", "Q"})
    assert len(letters) == 23
