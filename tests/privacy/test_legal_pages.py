from privacy import demo
from privacy.models import LegalPage


def test_legal_pages_exist_in_both_languages_and_are_linked_from_every_footer(client, db):
    demo.load()
    demo.load()  # idempotent
    for lang, prefix in (("fr", ""), ("en", "/en")):
        pages = LegalPage.objects.live().filter(locale__language_code=lang)
        assert {p.kind for p in pages} == {"privacy", "legal_notice", "accessibility"}
        home = client.get(f"{prefix}/").content.decode()
        for page in pages:
            assert f'href="{page.url}"' in home
            html = client.get(page.url).content.decode()
            assert page.title.replace("'", "&#x27;") in html
    privacy_fr = LegalPage.objects.get(kind="privacy", locale__language_code="fr").body
    assert "6" in privacy_fr and "CNIL" in privacy_fr and "pseudonym" in privacy_fr.lower()
    accessibility_fr = LegalPage.objects.get(kind="accessibility", locale__language_code="fr").body
    assert "non conforme" in accessibility_fr.lower() and "Défenseur des droits" in accessibility_fr
