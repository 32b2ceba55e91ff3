# ruff: noqa: E501  (content data: long sentences read better unbroken)
"""The default release's content, as data: Ystad's wording of the Backa barnet model (DESIGN.md §1).

Loaded into the central drafts by ``manage.py content_defaults_load`` (and published as release 1 with
``--publish``). Nothing else in the code knows these words.
"""


def t(sv: str, en: str) -> dict:
    return {"sv": sv, "en": en}


NO_TEXT = t("", "")


def item(key, name, description=NO_TEXT, **details) -> dict:
    return {"key": key, "name": name, "description": description, "details": details}


AREAS = [
    item(
        "trygghet",
        t("Trygghet", "Safe"),
        t(
            "Barnet är skyddat från övergrepp, försummelse och skada i hemmet, i skolan och i samhället.",
            "Protected from abuse, neglect or harm at home, at school and in the community.",
        ),
        guiding_questions=[
            t(
                "Känner sig barnet tryggt hemma, i skolan och på fritiden?",
                "Does the child feel safe at home, at school and in their free time?",
            ),
            t(
                "Finns det något som gör barnet rädd eller oroligt?",
                "Is there anything that makes the child afraid or worried?",
            ),
        ],
    ),
    item(
        "tillhorighet",
        t("Tillhörighet", "Included"),
        t(
            "Barnet får hjälp att övervinna sociala och ekonomiska hinder och känner sig som en del av sin gemenskap.",
            "Helped to overcome social and economic inequalities and accepted as part of the community.",
        ),
        guiding_questions=[
            t(
                "Har barnet vänner och sammanhang där det känner sig välkommet?",
                "Does the child have friends and settings where they feel welcome?",
            ),
            t(
                "Hindrar familjens ekonomi barnet från att delta?",
                "Does the family's economy keep the child from taking part?",
            ),
        ],
    ),
    item(
        "omsorg",
        t("Omsorg", "Nurtured"),
        t(
            "Barnet har en omsorgsfull plats att bo och växa upp på, med vuxna som ser dess behov.",
            "Having a nurturing place to live and grow, with adults who see the child's needs.",
        ),
        guiding_questions=[
            t("Får barnet den vardagliga omsorg det behöver?", "Does the child get the everyday care they need?"),
            t("Finns det vuxna som barnet kan vända sig till?", "Are there adults the child can turn to?"),
        ],
    ),
    item(
        "fritid",
        t("Fritid", "Active"),
        t(
            "Barnet har möjlighet till lek, rörelse och fritidsaktiviteter hemma, i skolan och i samhället.",
            "Having opportunities to play, move and take part in activities at home, at school and in the community.",
        ),
        guiding_questions=[
            t("Vad gör barnet på sin fritid?", "What does the child do in their free time?"),
            t(
                "Finns det aktiviteter barnet vill delta i men inte kan?",
                "Are there activities the child wants to join but cannot?",
            ),
        ],
    ),
    item(
        "halsa",
        t("Hälsa", "Healthy"),
        t(
            "Barnet har bästa möjliga fysiska och psykiska hälsa och tillgång till hälso- och sjukvård.",
            "Having the highest attainable standards of physical and mental health, with access to health care.",
        ),
        guiding_questions=[
            t("Hur mår barnet, fysiskt och psykiskt?", "How is the child, physically and mentally?"),
            t("Sover och äter barnet tillräckligt?", "Does the child sleep and eat enough?"),
        ],
    ),
    item(
        "utveckling",
        t("Utveckling", "Achieving"),
        t(
            "Barnet får stöd och vägledning i sitt lärande och utvecklar sina färdigheter och sitt självförtroende.",
            "Being supported and guided in learning and in developing skills, confidence and self-esteem.",
        ),
        guiding_questions=[
            t("Hur går det för barnet i förskola eller skola?", "How is the child doing in preschool or school?"),
            t(
                "Vad är barnet bra på och vad vill det lära sig?",
                "What is the child good at and what do they want to learn?",
            ),
        ],
    ),
    item(
        "att-bli-respekterad",
        t("Att bli respekterad", "Respected"),
        t(
            "Barnet blir lyssnat på och får vara delaktigt i beslut som rör det.",
            "Being heard and involved in decisions that affect the child.",
        ),
        guiding_questions=[
            t("Får barnet komma till tals i frågor som rör det?", "Is the child heard in matters that concern them?"),
            t("Tas barnets åsikter på allvar?", "Are the child's views taken seriously?"),
        ],
    ),
    item(
        "att-ta-ansvar",
        t("Att ta ansvar", "Responsible"),
        t(
            "Barnet får möjlighet och stöd att ta en aktiv roll hemma, i skolan och i samhället.",
            "Having opportunities and encouragement to play active roles at home, at school and in the community.",
        ),
        guiding_questions=[
            t(
                "Vilket ansvar tar barnet hemma och i skolan?",
                "What responsibilities does the child take at home and at school?",
            ),
            t("Får barnet vägledning när det gör fel?", "Is the child guided when things go wrong?"),
        ],
    ),
]

RATING_SCALES = [
    item(
        "behovsskala",
        t("Behovsskala", "Needs scale"),
        t("Hur väl barnets behov inom området är tillgodosedda.", "How well the child's needs in the area are met."),
        levels=[
            {
                "key": "1",
                "label": t("Fungerar bra", "Going well"),
                "meaning": t("Behoven är tillgodosedda.", "The needs are met."),
            },
            {
                "key": "2",
                "label": t("Fungerar till viss del", "Partly going well"),
                "meaning": t("Vissa behov är inte tillgodosedda.", "Some needs are not met."),
            },
            {
                "key": "3",
                "label": t("Fungerar dåligt", "Not going well"),
                "meaning": t(
                    "Flera behov är inte tillgodosedda och stöd behövs.",
                    "Several needs are not met and support is needed.",
                ),
            },
            {
                "key": "4",
                "label": t("Fungerar inte alls", "Not going well at all"),
                "meaning": t(
                    "Behoven är inte tillgodosedda; samordnat stöd behövs nu.",
                    "The needs are not met; coordinated support is needed now.",
                ),
            },
        ],
    ),
]

PERSPECTIVES = [
    item("barnet", t("Barnet", "The child"), t("Barnets egen bild.", "The child's own view.")),
    item("vardnadshavare", t("Vårdnadshavare", "Guardians"), t("Vårdnadshavarnas bild.", "The guardians' view.")),
    item(
        "professionell",
        t("Professionell", "Professional"),
        t("Den professionellas bedömning.", "The professional's assessment."),
    ),
]

SUPPORT_LEVELS = [
    item(
        "ordinarie",
        t("Inom ordinarie verksamhet", "Within the ordinary setting"),
        t(
            "Behoven möts i barnets vardag, i förskola, skola eller BHV.",
            "Needs are met in the child's everyday setting.",
        ),
        review_weeks=26,
    ),
    item(
        "barnkontakt-barnteam",
        t("Med Barnkontakt och Barnteam", "With the Named Person and team"),
        t("Barnkontakten samlar ett Barnteam kring barnet.", "The Named Person convenes a team around the child."),
        review_weeks=12,
    ),
    item(
        "stodsamordnare",
        t("Samordnat av Stödsamordnare med Barnets plan", "Coordinated by a Lead Professional with the child's plan"),
        t(
            "Flera verksamheter är involverade; en Stödsamordnare håller ihop Barnets plan.",
            "Several agencies are involved; a Lead Professional coordinates the child's plan.",
        ),
        review_weeks=6,
    ),
]


def _subs(*pairs) -> list[dict]:
    return [{"key": key, "name": t(sv, en)} for key, sv, en in pairs]


TRIANGLE_SIDES = [
    item(
        "hur-jag-vaxer",
        t("Hur jag växer och utvecklas", "How I grow and develop"),
        sub_areas=_subs(
            ("halsa", "Att vara frisk", "Being healthy"),
            ("larande", "Att lära och prestera", "Learning and achieving"),
            (
                "sjalvstandighet",
                "Att bli självständig och ta hand om mig själv",
                "Becoming independent, looking after myself",
            ),
            ("kommunikation", "Att kunna kommunicera", "Being able to communicate"),
            ("sjalvfortroende", "Tilltro till den jag är", "Confidence in who I am"),
            ("ansvar", "Att lära mig ta ansvar", "Learning to be responsible"),
            ("relationer", "Att trivas med familj och vänner", "Enjoying family and friends"),
        ),
    ),
    item(
        "vad-jag-behover",
        t("Vad jag behöver från dem som tar hand om mig", "What I need from people who look after me"),
        sub_areas=_subs(
            ("vardaglig-omsorg", "Vardaglig omsorg och hjälp", "Everyday care and help"),
            ("skydd", "Att hålla mig trygg", "Keeping me safe"),
            ("finnas-dar", "Att finnas där för mig", "Being there for me"),
            ("lek", "Lek, uppmuntran och roligt", "Play, encouragement and fun"),
            ("vagledning", "Vägledning att göra rätt val", "Guidance, supporting me to make the right choices"),
            ("forutsagbarhet", "Att veta vad som ska hända och när", "Knowing what is going to happen and when"),
            (
                "bakgrund",
                "Förståelse för familjens bakgrund och tro",
                "Understanding my family's background and beliefs",
            ),
        ),
    ),
    item(
        "min-omvarld",
        t("Min omvärld", "My wider world"),
        sub_areas=_subs(
            ("natverk", "Stöd från familj, vänner och andra", "Support from family, friends and other people"),
            ("skola", "Skola", "School"),
            ("ekonomi", "Tillräckligt med pengar", "Enough money"),
            ("boende", "Ett bra och tryggt boende", "Comfortable and safe housing"),
            ("arbete", "Arbete för min familj", "Work opportunities for my family"),
            ("tillhorighet", "Tillhörighet", "Belonging"),
            ("narsamhalle", "Resurser i närsamhället", "Local resources"),
        ),
    ),
]

RESILIENCE_AXES = [
    item(
        "barnet",
        t("Sårbarhet – motståndskraft", "Vulnerability – resilience"),
        t("Barnets egna förutsättningar.", "The child's own characteristics."),
        low=t("Sårbarhet", "Vulnerability"),
        high=t("Motståndskraft", "Resilience"),
    ),
    item(
        "miljon",
        t("Påfrestningar – skyddande miljö", "Adversity – protective environment"),
        t("Barnets omgivning.", "The child's environment."),
        low=t("Påfrestningar", "Adversity"),
        high=t("Skyddande miljö", "Protective environment"),
    ),
]

PRACTITIONER_QUESTIONS = [
    item("hinder", t("Vad hindrar barnets välbefinnande?", "What is getting in the way of this child's wellbeing?")),
    item(
        "information",
        t("Har jag den information jag behöver?", "Do I have all the information I need to help this child?"),
    ),
    item("jag-nu", t("Vad kan jag göra nu?", "What can I do now to help this child?")),
    item("verksamheten-nu", t("Vad kan min verksamhet göra nu?", "What can my agency do to help this child?")),
    item("andra", t("Vilket stöd behövs från andra?", "What additional help, if any, may be needed from others?")),
]


def _section(key, sv, en, help_sv="", help_en=""):
    return {"key": key, "title": t(sv, en), "help": t(help_sv, help_en)}


PLAN_TEMPLATES = [
    item(
        "barnets-plan",
        t("Barnets plan", "The child's plan"),
        t(
            "Ett barn, en plan: behov, mål, insatser och uppföljning.",
            "One child, one plan: needs, goals, actions and review.",
        ),
        sections=[
            _section(
                "behov", "Behov per område", "Needs per area", "Utgå från Behovskompassen.", "Start from the compass."
            ),
            _section("barnets-syn", "Barnets syn", "The child's view"),
            _section("vardnadshavares-syn", "Vårdnadshavarnas syn", "The guardians' view"),
            _section("mal", "Mål", "Goals"),
            _section("insatser", "Insatser (vem, vad, när)", "Actions (who, what, when)"),
            _section("stodsamordnare", "Stödsamordnare", "Lead Professional"),
            _section("uppfoljning", "Uppföljningsdatum", "Review dates"),
            _section("resultat", "Resultat", "Outcomes"),
        ],
    ),
]

MODEL = {
    "areas": AREAS,
    "rating_scales": RATING_SCALES,
    "perspectives": PERSPECTIVES,
    "support_levels": SUPPORT_LEVELS,
    "triangle_sides": TRIANGLE_SIDES,
    "resilience_axes": RESILIENCE_AXES,
    "practitioner_questions": PRACTITIONER_QUESTIONS,
    "plan_templates": PLAN_TEMPLATES,
}


def _question(sv, en, options, correct):
    return {"text": t(sv, en), "options": [t(o_sv, o_en) for o_sv, o_en in options], "correct": correct}


COURSES = [
    {
        "key": "introduktion",
        "title": t("Introduktion till Backa barnet", "Introduction to Backa barnet"),
        "description": t(
            "Modellen, principerna och arbetsgången.", "The model, its principles and the way of working."
        ),
        "target_roles": ["local_admin", "process_lead", "staff"],
        "required": True,
        "lessons": [
            {
                "key": "principer",
                "title": t("Principerna", "The principles"),
                "body": t(
                    "## Aldrig för tidigt – aldrig för sent\n\nBarnets bästa i fokus. Allt hänger ihop. **Ett barn, en plan.**",
                    "## Never too early, never too late\n\nThe child's best interests first. Everything is connected. **One child, one plan.**",
                ),
                "links": [
                    {
                        "title": t("Ystads kommun om Backa barnet", "Ystad municipality on Backa barnet"),
                        "url": "https://www.ystad.se/",
                    }
                ],
                "quiz": {
                    "pass_mark": 1,
                    "questions": [
                        _question(
                            "Hur många planer har ett barn i Backa barnet?",
                            "How many plans does a child have in Backa barnet?",
                            [("En", "One"), ("En per verksamhet", "One per agency")],
                            0,
                        )
                    ],
                },
                "attachments": [],
            },
            {
                "key": "arbetsgang",
                "title": t("Arbetsgången", "The way of working"),
                "body": t(
                    "Uppmärksamma → beskriva → bedöma → planera → utvärdera.",
                    "Notice → describe → assess → plan → evaluate.",
                ),
                "links": [],
                "quiz": {
                    "pass_mark": 1,
                    "questions": [
                        _question(
                            "Vad kommer efter att beskriva?",
                            "What comes after describing?",
                            [("Bedöma", "Assess"), ("Planera", "Plan"), ("Avsluta", "Close")],
                            0,
                        )
                    ],
                },
                "attachments": [],
            },
        ],
    },
    {
        "key": "stodsamordnare",
        "title": t("Att vara Stödsamordnare", "Being a Lead Professional"),
        "description": t("Samordna stödet och hålla ihop Barnets plan.", "Coordinating support and the child's plan."),
        "target_roles": ["process_lead"],
        "required": True,
        "lessons": [
            {
                "key": "barnets-plan",
                "title": t("Barnets plan", "The child's plan"),
                "body": t(
                    "Planen följer barnet, med mål, insatser och uppföljning.",
                    "The plan follows the child, with goals, actions and review.",
                ),
                "links": [],
                "quiz": {
                    "pass_mark": 1,
                    "questions": [
                        _question(
                            "Vem äger Barnets plan när flera verksamheter är inblandade?",
                            "Who owns the child's plan when several agencies are involved?",
                            [("Stödsamordnaren", "The Lead Professional"), ("Upptäckaren", "Whoever noticed")],
                            0,
                        )
                    ],
                },
                "attachments": [],
            }
        ],
    },
]
