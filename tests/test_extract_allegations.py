"""Allegations: accuser/accused from several constructions, kinds from cue lexicons, hedging,
status, coreference, figures and periods, attributions, evidence offsets."""

from __future__ import annotations

from datetime import date

from ontology.models import AllegationKind, AllegationStatus, AttributionKind
from tests.test_extract_common import actor_names, extract, pairs, record


def test_accuse_verb_with_kind_from_the_clause() -> None:
    ex = extract("Anthropic accused Zhipu AI of stealing trade secrets from its research team.")
    (al,) = ex.allegations
    assert (al.accuser, al.accused, al.kind) == ("anthropic", ["zhipu-ai"], AllegationKind.ip_theft)
    assert al.evidence.attribution_kind is AttributionKind.statement


def test_reporting_verb_needs_a_conduct_in_its_clause() -> None:
    rec = record("xAI said Moonshot AI had accessed Grok without authorization. xAI also said Moonshot AI "
                 "had hired two of its engineers.")
    (al,) = rec["allegations"]
    assert (al["accuser"], al["accused"], al["kind"]) == ("xAI", ["Moonshot AI"], "unauthorized_access")


def test_passive_accusation() -> None:
    rec = record("Baidu was accused by Tencent of smuggling restricted GPUs through intermediaries.")
    assert pairs(rec, "allegations") == {("Tencent", "Baidu")}
    assert rec["allegations"][0]["kind"] == "smuggling"


def test_accusation_noun_and_light_verb() -> None:
    rec = record("Nvidia filed a complaint against SMIC, and Microsoft's allegation that DeepSeek distilled "
                 "its models drew attention.")
    assert pairs(rec, "allegations") == {("Nvidia", "SMIC"), ("Microsoft", "DeepSeek")}


def test_designation_as_a_security_risk() -> None:
    rec = record("The Federal Communications Commission deemed Hikvision a national security risk.")
    (al,) = rec["allegations"]
    assert (al["accuser"], al["accused"], al["kind"]) == ("Federal Communications Commission", ["Hikvision"],
                                                         "security_risk")


def test_coordinated_and_appositive_accused() -> None:
    rec = record("Google accused Baichuan and two other startups – StepFun and Kuaishou – of scraping outputs "
                 "from Gemini to train rival models.")
    assert pairs(rec, "allegations") == {("Google", "Baichuan AI"), ("Google", "StepFun"), ("Google", "Kuaishou")}
    assert rec["allegations"][0]["kind"] == "distillation"


def test_hedging_and_unconfirmed_reports() -> None:
    ex = extract("Unconfirmed reports suggest Meta told regulators that ByteDance allegedly copied the outputs "
                 "of its models.")
    (al,) = ex.allegations
    assert al.kind is AllegationKind.distillation
    assert {"allegedly"} <= {h.lower() for h in al.evidence.hedges}
    assert al.evidence.attribution_kind is AttributionKind.unconfirmed
    assert [a.kind for a in ex.attributions] == [AttributionKind.unconfirmed]


def test_anonymous_sources_are_normalised() -> None:
    ex = extract("Cohere accused Sakana AI of spying on its customers, according to two people briefed on "
                 "the dispute.")
    assert [a.source for a in ex.attributions] == ["people familiar with the matter"]
    assert ex.allegations[0].evidence.attribution_kind is AttributionKind.anonymous


def test_denial_sets_status() -> None:
    ex = extract("Anthropic accused Zhipu AI of stealing trade secrets. Zhipu rejected the accusations on "
                 "Friday.")
    (al,) = ex.allegations
    assert al.status is AllegationStatus.denied and al.status_cues


def test_no_comment_sets_status_but_unrelated_denial_does_not() -> None:
    ex = extract("OpenAI alleged that MiniMax illicitly accessed ChatGPT. MiniMax disputed a separate tax "
                 "ruling. MiniMax did not respond to a request for comment.")
    (al,) = ex.allegations
    assert al.status is AllegationStatus.no_comment


def test_definite_description_resolves_to_the_salient_company() -> None:
    rec = record("OpenAI published a threat report on Tuesday. The San Francisco company said DeepSeek had used "
                 "thousands of fake accounts to distill its models.")
    assert pairs(rec, "allegations") == {("OpenAI", "DeepSeek")}


def test_pronoun_object_resolves_to_the_other_party() -> None:
    rec = record("Samsung shares slipped after Micron accused it of misappropriating memory designs.")
    assert pairs(rec, "allegations") == {("Micron Technology", "Samsung Electronics")}


def test_pronoun_subject_resolves_to_the_previous_subject() -> None:
    rec = record("Microsoft studied the breach for months. It accused a Chinese state-backed hacking group of "
                 "breaching its email systems.")
    (al,) = rec["allegations"]
    assert al["accuser"] == "Microsoft" and al["kind"] == "cyberattack"


def test_figures_and_conduct_period() -> None:
    ex = extract("Mistral AI said DeepSeek generated more than 1.2 million queries using nearly 3,000 fraudulent "
                 "accounts to extract outputs between March 3 and April 9, 2025.")
    (al,) = ex.allegations
    figs = {f.unit: f for f in al.figures}
    assert figs["queries"].value == 1_200_000 and figs["queries"].qualifier == "more than"
    assert figs["queries"].low == 1_200_000 and figs["queries"].high is None
    assert figs["accounts"].value == 3000 and figs["accounts"].qualifier == "nearly"
    assert figs["accounts"].high == 3000 and figs["accounts"].low is not None and figs["accounts"].low < 3000
    assert al.period is not None and (al.period.value, al.period.end) == ("2025-03-03", "2025-04-09")


def test_figures_in_a_following_detail_sentence() -> None:
    ex = extract("Cohere accused Baichuan AI of distilling its models. The alleged campaign used thousands of "
                 "fake accounts.")
    (al,) = ex.allegations
    assert [f.qualifier for f in al.figures] == ["thousands of"]


def test_date_of_the_allegation_from_its_own_sentence() -> None:
    ex = extract("On May 2, 2025, Google accused StepFun of copying Gemini outputs.")
    assert ex.allegations[0].date is not None and ex.allegations[0].date.value == "2025-05-02"
    ex = extract("On 2 May, Google accused StepFun of copying Gemini outputs.")  # no year, no publication date
    assert ex.allegations[0].date is not None and ex.allegations[0].date.value == "--05-02"
    assert record("On 2 May, Google accused StepFun of copying Gemini outputs.")["allegations"][0]["date"] is None
    ex = extract("On 2 May, Google accused StepFun of copying Gemini outputs.", date(2025, 6, 1))
    assert ex.allegations[0].date is not None and ex.allegations[0].date.value == "2025-05-02"


def test_accused_model_is_not_an_accused_party() -> None:
    rec = record("Anthropic accused Claude of nothing; it accused DeepSeek of distilling Claude.")
    assert all(x != "Claude" for al in rec["allegations"] for x in al["accused"])


def test_evidence_is_the_exact_sentence_with_offsets() -> None:
    text = "Markets were calm.\nOn Monday, Huawei accused Apple of stealing chip designs. Apple said nothing."
    ex = extract(text)
    (al,) = ex.allegations
    e = al.evidence
    assert text[e.start:e.end] == e.sentence == "On Monday, Huawei accused Apple of stealing chip designs."


def test_negated_accusation_and_negated_conduct_are_not_allegations() -> None:
    assert record("Tesla did not accuse BYD of stealing its battery designs.")["allegations"] == []
    assert record("Apple said Epic Games had not stolen any code.")["allegations"] == []


def test_contrastive_not_just_keeps_both_accused() -> None:
    rec = record("Google accused Baidu, not just Tencent, of scraping its search results.")
    assert pairs(rec, "allegations") == {("Google", "Baidu"), ("Google", "Tencent")}


def test_verbs_of_condemnation_take_the_criticised_party_as_object() -> None:
    rec = record("The Chinese foreign ministry criticised Japan for its new chip export rules.")
    assert pairs(rec, "allegations") == {("Ministry of Foreign Affairs of China", "Japan")}
    rec = record("Senator Elizabeth Warren slammed Nvidia and AMD, saying their sales endanger national security.")
    assert pairs(rec, "allegations") == {("Elizabeth Warren", "Nvidia"), ("Elizabeth Warren", "AMD")}
    assert rec["allegations"][0]["kind"] == "security_risk"


def test_a_spokesperson_speaks_for_the_body_that_owns_it() -> None:
    rec = record("A Huawei spokesperson accused Nokia of spreading disinformation about its base stations.")
    assert pairs(rec, "allegations") == {("Huawei", "Nokia")}


def test_pejorative_characterisation_in_a_reported_clause() -> None:
    rec = record("Beijing said the Netherlands had deliberately provoked tensions over the chip dispute.")
    assert pairs(rec, "allegations") == {("China", "Netherlands")}
    assert record("Beijing said the Netherlands had opened new chip fabrication plants.")["allegations"] == []


def test_responsibility_for_a_conduct_noun() -> None:
    rec = record("Microsoft said a hacking group known as Volt Typhoon was behind the attacks on utilities in Guam.")
    assert pairs(rec, "allegations") == {("Microsoft", "Volt Typhoon")}
    assert record("Microsoft said Satya Nadella was responsible for the company's cloud unit.")["allegations"] == []


def test_according_to_names_the_accuser() -> None:
    rec = record("Samsung diverted restricted chips to Huawei through shell companies, according to the Justice "
                 "Department.")
    assert pairs(rec, "allegations") == {("Department of Justice", "Samsung Electronics")}
    assert rec["allegations"][0]["kind"] == "smuggling"


def test_penalty_for_a_conduct_is_an_allegation_by_the_penaliser() -> None:
    rec = record("The Irish Data Protection Commission (DPC) has fined TikTok €530 million for illegally "
                 "transferring the personal data of users to China.")
    assert ("Data Protection Commission", "TikTok") in pairs(rec, "allegations")
    rec = record("Huawei was sanctioned by the Treasury Department over its role in the espionage campaign.")
    assert pairs(rec, "allegations") == {("Department of the Treasury", "Huawei")}
    assert rec["allegations"][0]["kind"] == "espionage"
    assert record("The European Commission could fine Meta for abusive practices.")["allegations"] == []


def test_relative_pronoun_object_is_its_antecedent() -> None:
    rec = record("Japan's trade ministry criticised South Korea, which Tokyo has accused of dumping steel.")
    assert ("Japan", "South Korea") in pairs(rec, "allegations")


def test_the_owner_of_the_reported_subject_is_accused() -> None:
    rec = record("Ofcom said TikTok's recommendation algorithm violated the Online Safety Act.")
    assert pairs(rec, "allegations") == {("Ofcom", "TikTok")}


def test_coordinated_accusers_each_accuse_and_are_never_accused() -> None:
    rec = record("The United States, the European Union and NATO accused China of hacking Microsoft Exchange servers.")
    assert pairs(rec, "allegations") == {("United States", "China"), ("European Union", "China"), ("NATO", "China")}


def test_a_collective_with_including_expands_to_its_members() -> None:
    rec = record("Western allies, including the European Union, Japan and NATO, are blaming Russia for the "
                 "cyberattacks on Ukrainian banks.")
    assert pairs(rec, "allegations") == {("European Union", "Russia"), ("Japan", "Russia"), ("NATO", "Russia")}
    rec = record("Anthropic accused several labs, including DeepSeek and MiniMax, of distilling Claude.")
    assert pairs(rec, "allegations") == {("Anthropic", "DeepSeek"), ("Anthropic", "MiniMax")}


def test_an_official_document_speaks_for_the_body_behind_it() -> None:
    rec = record("The Federal Trade Commission opened an inquiry into Amazon last year. The inquiry concluded that "
                 "Amazon violated consumer protection law.")
    assert ("Federal Trade Commission", "Amazon") in pairs(rec, "allegations")
    # no body named before it: no accuser
    assert record("Google said it would appeal. The decision found that Google abused its dominant "
                  "position.")["allegations"] == []


def test_state_groups_are_the_state_and_posing_a_threat_is_a_security_risk() -> None:
    rec = record("Last month, the head of Canada's spy agency warned that Russian state actors posed a growing "
                 "threat to the country's ports.")
    assert any(a["accused"] == ["Russia"] and a["kind"] == "security_risk" for a in rec["allegations"])
    rec = record("The agency said Iranian state-sponsored hackers compromised the networks of three water utilities.")
    assert [(a["accuser"], a["accused"], a["kind"]) for a in rec["allegations"]] == [
        ("agency", ["Iran"], "cyberattack")] or rec["allegations"] == []  # "the agency" has no antecedent
    rec = record("The NSA said North Korean state-sponsored hackers compromised the networks of three banks.")
    assert [(a["accuser"], a["accused"], a["kind"]) for a in rec["allegations"]] == [
        ("National Security Agency", ["North Korea"], "cyberattack")]


def test_a_compromised_system_as_a_state_names_no_conduct() -> None:
    rec = record("The Justice Department said the FBI removed web shells from compromised servers.")
    assert rec["allegations"] == []


def test_tracking_names_are_groups_and_each_name_given_is_accused() -> None:
    rec = record("Shares fell on Monday.\nAustralia added that the Chinese Ministry of State Security is behind "
                 "the hacking groups tracked as APT3 and UNC2286.")
    assert {"APT3", "UNC2286"} <= actor_names(rec)
    (al,) = rec["allegations"]
    assert al["accuser"] == "Australia" and al["kind"] == "cyberattack"
    assert set(al["accused"]) == {"Ministry of State Security", "APT3", "UNC2286"}


def test_an_extraposed_it_is_no_actor() -> None:
    rec = record("Shares fell on Monday.\nThe National Security Agency, which is part of the Defense Department, "
                 "assessed that it was highly likely that APT28 was responsible for the hacking.")
    assert pairs(rec, "allegations") == {("National Security Agency", "APT28")}


def test_warning_of_a_nationality_s_conduct_accuses_its_state() -> None:
    rec = record("Shares fell on Monday.\nDutch officials have warned of Russian cyber attacks on ports. The FBI "
                 "warned about North Korean hacking campaigns against crypto firms. Analysts warned of weaker demand.")
    assert {(a["accuser"], tuple(a["accused"]), a["kind"]) for a in rec["allegations"]} == {
        ("Netherlands", ("Russia",), "cyberattack"),
        ("Federal Bureau of Investigation", ("North Korea",), "cyberattack")}


def test_a_warning_document_accuses_the_agent_of_the_conduct_it_is_about() -> None:
    rec = record("The FBI and CISA issued a joint advisory listing the tools that Russian state-sponsored "
                 "hackers have used in attacks on water utilities.")
    assert pairs(rec, "allegations") == {("Federal Bureau of Investigation", "Russia"),
                                         ("Cybersecurity and Infrastructure Security Agency", "Russia")}
    rec = record("Microsoft published a report on Iranian cyberattacks against journalists.")
    assert pairs(rec, "allegations") == {("Microsoft", "Iran")}
    assert record("The regulator published a report on the finances of Huawei.")["allegations"] == []
    assert record("The FBI could issue an advisory about Russian hacking next week.")["allegations"] == []


def test_a_named_groups_conduct_told_without_a_source_is_on_the_word_of_the_story_s_source() -> None:
    text = ("Microsoft's report documents several cases where state hackers abused its Copilot assistant.\n"
            "Russian group APT28 used the assistant to write phishing emails for diplomats.\n"
            "North Korean hackers Jade Sleet (TA444) relied on it to debug malware.\n")
    rec = record(text)
    assert pairs(rec, "allegations") == {("Microsoft", "APT28"), ("Microsoft", "Jade Sleet")}
    assert {a["pattern"] for a in rec["allegations"]} == {"allegation/reported-conduct"}
    # no source before the group's conduct, a conduct that is no wrongdoing, an unnamed group: nothing
    assert record("Russian group APT28 used the assistant to write phishing emails for diplomats.")["allegations"] == []
    assert record("Microsoft's report describes the assistant.\nRussian group APT28 praised the assistant in "
                  "a forum post.")["allegations"] == []
    assert record("Microsoft's report documents several cases.\nRussian hackers used the assistant to write "
                  "phishing emails.")["allegations"] == []


def test_a_concern_about_security_or_data_accuses_the_party_it_is_about() -> None:
    rec = record("The CFIUS investigation had raised concerns over Tencent's investments giving it access to a "
                 "significant intelligence collection source.")
    assert pairs(rec, "allegations") == {("Committee on Foreign Investment in the United States", "Tencent")}
    assert rec["allegations"][0]["kind"] == "security_risk"
    rec = record("Shares fell.\nWashington has long urged allies to avoid using Huawei's telecom equipment due to "
                 "concerns over potential espionage.")
    assert pairs(rec, "allegations") == {("United States", "Huawei")}
    rec = record("US lawmakers voiced concerns that DeepSeek could share user data with Beijing.")
    assert pairs(rec, "allegations") == {("United States Congress", "DeepSeek")}
    # a worry about business, or a concern that is only possible, is no accusation
    assert record("Apple has raised concerns about Nvidia's margins.")["allegations"] == []
    assert record("The ruling could raise concerns over TikTok's data security.")["allegations"] == []


def test_the_subject_of_a_countering_verb_is_no_agent_of_the_conduct_it_counters() -> None:
    assert record("Security minister Dan Jarvis said the government will not tolerate attempts to interfere "
                  "with the UK's affairs.")["allegations"] == []
    assert record("The ministry said Japan would combat Chinese hacking of its networks.")["allegations"] == []
    rec = record("Microsoft said Japan had interfered with its systems.")
    assert pairs(rec, "allegations") == {("Microsoft", "Japan")}


def test_a_named_group_s_affiliation_makes_the_state_it_works_for_accused_too() -> None:
    rec = record("The National Cyber Security Centre assessed that a group known as Amber Typhoon, which is "
                 "associated with the Russian state, was responsible for the hacking campaign.")
    assert pairs(rec, "allegations") == {("National Cyber Security Centre", "Amber Typhoon"),
                                         ("National Cyber Security Centre", "Russia")}


def test_a_warning_of_a_threat_accuses_where_the_threat_comes_from() -> None:
    rec = record("The FBI warned of the threat posed by Russian hackers to the power grid.")
    assert pairs(rec, "allegations") == {("Federal Bureau of Investigation", "Russia")}
    rec = record("Britain's Security Service warned lawmakers of the risk from Iranian spies.")
    assert pairs(rec, "allegations") == {("MI5", "Iran")}
    # a risk that comes from no conduct is no accusation
    assert record("The ministry warned of the risk from higher tariffs on Japanese cars.")["allegations"] == []


def test_a_countered_conduct_gives_no_accused_in_the_clauses_that_say_why() -> None:
    rec = record("The interior minister said the government will not tolerate attempts to interfere with its "
                 "elections, after the FBI warned of Iranian hacking campaigns.")
    assert ("Federal Bureau of Investigation", "Iran") in pairs(rec, "allegations")
    assert all(accused != "Federal Bureau of Investigation" for _, accused in pairs(rec, "allegations"))


def test_a_second_verb_the_parser_hangs_on_the_reported_clause_keeps_the_speaker() -> None:
    rec = record("The Russian embassy said the report was false and accused Poland of a \"staged provocation\".")
    assert pairs(rec, "allegations") == {("Russian embassy", "Poland")}


def test_who_answers_an_accusation_is_its_accused() -> None:
    rec = record("Russia denied the accusation by Germany that it had hacked the Bundestag.")
    (al,) = rec["allegations"]
    assert (al["accuser"], al["accused"], al["kind"]) == ("Germany", ["Russia"], "cyberattack")
    assert al["status"] == "denied"
    # every state of a coalition that made the accusation, however long the list
    rec = record("Iran dismissed the hacking attribution made on Monday by Canada, Japan, Australia, New Zealand, "
                 "Germany, France, Spain and Italy.")
    assert pairs(rec, "allegations") == {(s, "Iran") for s in ("Canada", "Japan", "Australia", "New Zealand",
                                                               "Germany", "France", "Spain", "Italy")}
    # an answer to a claim with no accuser named makes no allegation
    assert record("Beijing rejected the claims on Tuesday.")["allegations"] == []


def test_the_conduct_of_agents_working_for_a_state_accuses_the_state() -> None:
    for text in ("Northwind Robotics said hackers working for the Iranian government had breached its servers.",
                 # the parser reads "linked" as a clausal subject here: the affiliation still names the state
                 "Northwind Robotics said hackers linked to the Iranian government had breached its email systems."):
        rec = record(text)
        assert pairs(rec, "allegations") == {("Northwind Robotics", "Iran")}, text
        assert rec["allegations"][0]["kind"] == "cyberattack"


def test_attributing_a_conduct_to_someone_accuses_them() -> None:
    assert pairs(record("Volexity attributed the intrusions to APT29."), "allegations") == {("Volexity", "APT29")}
    # the tagger reads an unfamiliar firm's name before "researchers" as an adjective: it is the speaker still
    rec = record("Proofpoint researchers said APT29 had breached the email accounts of three ministries.")
    assert pairs(rec, "allegations") == {("Proofpoint", "APT29")}
    assert rec["allegations"][0]["kind"] == "cyberattack"  # a breach of accounts is an attack
    assert record("The company attributed the outage to a software bug.")["allegations"] == []


def test_an_accusation_noun_after_a_determiner_is_no_accusing_verb() -> None:
    # "a charge the company denies" is the United States' charge, not one from the capital named before it
    rec = record("Washington has long accused Hikvision of spying for Beijing, a charge the company denies.")
    assert pairs(rec, "allegations") == {("United States", "Hikvision")}
