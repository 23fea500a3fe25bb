"""DigCompEdu: European Framework for the Digital Competence of Educators (JRC, 2017): 6 areas, 22 competences.

Source: Redecker, C. *European Framework for the Digital Competence of Educators: DigCompEdu*. Punie, Y. (ed.).
EUR 28775 EN, Publications Office of the European Union, Luxembourg, 2017. ISBN 978-92-79-73494-6,
doi:10.2760/159770, JRC107466. Areas and competence names as listed on the JRC's page
https://joint-research-centre.ec.europa.eu/digcompedu/digcompedu-framework_en (checked 2026-12-02).
Reuse: © European Union, 2017, reuse authorised provided the source is acknowledged (Commission Decision
2011/833/EU, as stated in the report). The one-line statements are our own summaries; the French labels are our
own translation (the JRC also publishes a French version, whose wording may differ): both are editable in the admin.
"""

CODE = "digcompedu-2017"
TITLES = {
    "en": "European Framework for the Digital Competence of Educators (DigCompEdu, 2017)",
    "fr": "Cadre européen pour la compétence numérique des éducateurs (DigCompEdu, 2017)",
}
DESCRIPTIONS = {
    "en": "22 digital competences of educators in 6 areas, with proficiency levels A1 (Newcomer) to C2 (Pioneer).",
    "fr": "22 compétences numériques des éducateurs en 6 domaines, niveaux de A1 (nouveau venu) à C2 (pionnier).",
}
SOURCE_URL = "https://joint-research-centre.ec.europa.eu/digcompedu/digcompedu-framework_en"
CREATOR = "European Commission, Joint Research Centre (Redecker, C.; Punie, Y., ed.)"
PUBLISHER = "Publications Office of the European Union"
LICENCE = "© European Union, 2017 — reuse authorised provided the source is acknowledged (Decision 2011/833/EU)"
LICENCE_URI = "https://eur-lex.europa.eu/eli/dec/2011/833/oj"
NOTES = (
    "Redecker, C., European Framework for the Digital Competence of Educators: DigCompEdu, Punie, Y. (ed.), "
    "EUR 28775 EN, Publications Office of the European Union, 2017, doi:10.2760/159770. Statements summarised and "
    "French labels translated by the platform."
)

# (code, item type, English label, French label, English statement, French statement)
ITEMS = [
    ("1", "aspect", "Professional engagement", "Engagement professionnel",
     "Using digital technologies in one's wider professional environment.",
     "Utiliser le numérique dans son environnement professionnel au sens large."),
    ("1.1", "competency", "Organisational communication", "Communication organisationnelle",
     "Communicating with learners, parents and partners through digital means.",
     "Communiquer avec les apprenants, les parents et les partenaires par des moyens numériques."),
    ("1.2", "competency", "Professional collaboration", "Collaboration professionnelle",
     "Working with other educators through digital tools to share and improve practice.",
     "Travailler avec d'autres éducateurs grâce au numérique pour partager et améliorer ses pratiques."),
    ("1.3", "competency", "Reflective practice", "Pratique réflexive",
     "Reflecting on and developing one's own digital teaching practice and that of one's community.",
     "Analyser et faire évoluer sa pratique numérique et celle de sa communauté éducative."),
    ("1.4", "competency", "Digital continuous professional development", "Développement professionnel continu numérique",
     "Using digital sources and resources for one's own professional learning.",
     "Se former tout au long de sa carrière grâce à des sources et ressources numériques."),
    ("2", "aspect", "Digital resources", "Ressources numériques",
     "Finding, creating and sharing digital resources for teaching.",
     "Trouver, créer et partager des ressources numériques pour enseigner."),
    ("2.1", "competency", "Selecting digital resources", "Sélectionner des ressources numériques",
     "Identifying, assessing and choosing digital resources suited to the learning goal and the learners.",
     "Repérer, évaluer et choisir des ressources numériques adaptées à l'objectif et aux apprenants."),
    ("2.2", "competency", "Creating and modifying digital resources", "Créer et modifier des ressources numériques",
     "Adapting existing resources where allowed and creating new ones.",
     "Adapter des ressources existantes lorsque c'est permis et en créer de nouvelles."),
    ("2.3", "competency", "Managing, protecting and sharing digital resources",
     "Gérer, protéger et partager des ressources numériques",
     "Organising and sharing content while protecting sensitive data and respecting privacy, copyright and licences.",
     "Organiser et partager des contenus en protégeant les données sensibles et en respectant vie privée, droit "
     "d'auteur et licences."),
    ("3", "aspect", "Teaching and learning", "Enseignement et apprentissage",
     "Managing and orchestrating the use of digital technologies in teaching and learning.",
     "Piloter l'usage du numérique dans l'enseignement et l'apprentissage."),
    ("3.1", "competency", "Teaching", "Enseignement",
     "Planning and using digital devices and resources in teaching.",
     "Prévoir et utiliser des outils et ressources numériques dans son enseignement."),
    ("3.2", "competency", "Guidance", "Accompagnement",
     "Using digital means to support and guide learners individually and collectively.",
     "Soutenir et guider les apprenants, individuellement et collectivement, par des moyens numériques."),
    ("3.3", "competency", "Collaborative learning", "Apprentissage collaboratif",
     "Using digital technologies to foster learners' collaboration.",
     "Favoriser la collaboration entre apprenants grâce au numérique."),
    ("3.4", "competency", "Self-regulated learning", "Apprentissage autorégulé",
     "Supporting learners in planning, monitoring and reflecting on their own learning with digital tools.",
     "Aider les apprenants à planifier, suivre et analyser leurs apprentissages avec des outils numériques."),
    ("4", "aspect", "Assessment", "Évaluation",
     "Using digital technologies and strategies to improve assessment.",
     "Utiliser le numérique pour améliorer l'évaluation."),
    ("4.1", "competency", "Assessment strategies", "Stratégies d'évaluation",
     "Using digital technologies for formative and summative assessment.",
     "Utiliser le numérique pour l'évaluation formative et sommative."),
    ("4.2", "competency", "Analysing evidence", "Analyser les traces d'apprentissage",
     "Producing, selecting and analysing digital evidence of learners' activity and progress.",
     "Produire, sélectionner et analyser les traces numériques de l'activité et des progrès des apprenants."),
    ("4.3", "competency", "Feedback and planning", "Rétroaction et planification",
     "Giving timely, targeted feedback and adapting teaching using digital evidence.",
     "Donner des retours ciblés et ajuster son enseignement à partir des traces numériques."),
    ("5", "aspect", "Empowering learners", "Autonomiser les apprenants",
     "Using digital technologies to make learning inclusive, personalised and engaging.",
     "Utiliser le numérique pour un apprentissage inclusif, personnalisé et engageant."),
    ("5.1", "competency", "Accessibility and inclusion", "Accessibilité et inclusion",
     "Ensuring every learner, including those with special needs, can access resources and activities.",
     "Garantir à chaque apprenant, y compris à besoins particuliers, l'accès aux ressources et aux activités."),
    ("5.2", "competency", "Differentiation and personalisation", "Différenciation et personnalisation",
     "Letting learners progress at different levels and speeds along individual paths.",
     "Permettre aux apprenants de progresser à leur niveau et à leur rythme selon des parcours individuels."),
    ("5.3", "competency", "Actively engaging learners", "Engager activement les apprenants",
     "Using digital technologies to engage learners actively and creatively.",
     "Utiliser le numérique pour impliquer les apprenants de façon active et créative."),
    ("6", "aspect", "Facilitating learners' digital competence", "Développer la compétence numérique des apprenants",
     "Helping learners become digitally competent themselves.",
     "Aider les apprenants à devenir eux-mêmes compétents dans le numérique."),
    ("6.1", "competency", "Information and media literacy", "Maîtrise de l'information et des médias",
     "Learning activities in which learners find, evaluate and manage information and judge its reliability.",
     "Activités où les apprenants cherchent, évaluent et organisent l'information et jugent de sa fiabilité."),
    ("6.2", "competency", "Digital communication and collaboration", "Communication et collaboration numériques",
     "Learning activities in which learners communicate and collaborate responsibly with digital tools.",
     "Activités où les apprenants communiquent et collaborent de façon responsable avec des outils numériques."),
    ("6.3", "competency", "Digital content creation", "Création de contenus numériques",
     "Learning activities in which learners express themselves by creating digital content, respecting rights.",
     "Activités où les apprenants s'expriment en créant des contenus numériques, dans le respect des droits."),
    ("6.4", "competency", "Responsible use", "Usage responsable",
     "Helping learners manage risks and use technology safely and responsibly, for their well-being.",
     "Aider les apprenants à gérer les risques et à utiliser le numérique de façon sûre et responsable."),
    ("6.5", "competency", "Digital problem solving", "Résolution de problèmes numériques",
     "Learning activities in which learners solve technical problems and apply digital skills to new situations.",
     "Activités où les apprenants résolvent des problèmes techniques et transfèrent leurs compétences numériques."),
]  # fmt: skip
