"""Government actions: issuers are governments only, kinds from cue data, negation, hypotheticals,
passives, nominal actions, targets."""

from __future__ import annotations

from datetime import date

from ontology.models import ActionKind
from tests.test_extract_common import actor_names, extract, pairs, record


def test_carrier_verb_with_object_kind_and_export_context() -> None:
    ex = extract("The Dutch government imposed new restrictions on exports of ASML scanners to China.")
    (ac,) = ex.actions
    assert ac.issuer == "netherlands" and ac.kind is ActionKind.export_control and not ac.negated
    assert set(ac.targets) == {"asml", "china"}


def test_entity_list_and_blacklist() -> None:
    rec = record("The Commerce Department added Sugon to the Entity List. The Defense Department put Hesai on "
                 "its list of companies tied to the military.")
    kinds = {(a["issuer"], a["kind"]) for a in rec["actions"]}
    assert kinds == {("Department of Commerce", "entity_list"), ("Department of Defense", "blacklist")}


def test_negated_action_is_kept_with_the_flag() -> None:
    ex = extract("The Treasury Department decided not to sanction Huawei, citing ongoing trade talks.")
    (ac,) = ex.actions
    assert ac.negated and ac.kind is ActionKind.other and ac.targets == ["huawei"]


def test_declining_to_act_is_negation() -> None:
    rec = record("Officials said the Commerce Department had declined to add SMIC to the Entity List.")
    (ac,) = rec["actions"]
    assert ac["negated"] is True and ac["targets"] == ["SMIC"]


def test_hypothetical_and_requested_acts_are_not_actions() -> None:
    for text in ("The White House could ban TikTok if talks fail.",
                 "If Washington sanctions Tencent, Beijing may retaliate.",
                 "Lawmakers urged the Commerce Department to blacklist Unitree Robotics.",
                 "Analysts debated whether the FTC would open an inquiry into Microsoft."):
        assert record(text)["actions"] == [], text


def test_companies_are_not_issuers() -> None:
    assert record("Google restricted access to its Gemini models for users in Russia.")["actions"] == []


def test_passive_with_agent() -> None:
    rec = record("Nvidia was placed on a trade blacklist by China's Ministry of Commerce in March 2025.")
    (ac,) = rec["actions"]
    assert (ac["issuer"], ac["targets"], ac["kind"], ac["date"]) == ("Ministry of Commerce of China", ["Nvidia"],
                                                                     "blacklist", "2025-03")


def test_nominal_action_with_possessive_issuer() -> None:
    rec = record("Analysts criticised the European Commission's investigation into Microsoft.")
    assert pairs(rec, "actions") == {("European Commission", "Microsoft")}


def test_control_verb_and_nationality_target() -> None:
    rec = record("The announcement came as Washington moved to tighten controls on AI exports for Chinese firms.")
    (ac,) = rec["actions"]
    assert (ac["issuer"], ac["targets"], ac["kind"]) == ("United States", ["China"], "export_control")


def test_official_person_can_issue_and_relative_date_resolves() -> None:
    rec = record("Last week, Senator Jane Holloway introduced a bill to ban DeepSeek from government devices.",
                 date(2025, 7, 16))
    (ac,) = rec["actions"]
    assert (ac["issuer"], ac["targets"], ac["kind"]) == ("Jane Holloway", ["DeepSeek"], "legislation")


def test_retaliation_by_gerund() -> None:
    rec = record("Last month, Beijing retaliated by banning exports of gallium to the United States.",
                 date(2024, 12, 5))
    (ac,) = rec["actions"]
    assert (ac["issuer"], ac["targets"], ac["kind"], ac["date"]) == ("China", ["United States"], "export_control",
                                                                     "2024-11")


def test_the_reason_for_a_penalty_names_no_target() -> None:
    rec = record("The Federal Trade Commission fined Microsoft $20 million for illegally shipping software to Iran.")
    assert pairs(rec, "actions") == {("Federal Trade Commission", "Microsoft")}


def test_the_app_refers_back_to_the_company_behind_it() -> None:
    rec = record("Researchers found that DeepSeek stored user data in China. Italy has blocked the app over "
                 "privacy concerns.")
    assert pairs(rec, "actions") == {("Italy", "DeepSeek")}


def test_a_description_followed_by_its_name_is_no_anaphor() -> None:
    rec = record("xAI released a new model on Monday. Pavel Ivanov, founder of the messaging app Zinger, criticised "
                 "the French government on Tuesday.")
    assert "xAI" not in {a["accuser"] for a in rec["allegations"]}


def test_coordinated_issuers_each_act() -> None:
    rec = record("Japan and the Netherlands imposed export controls on chipmaking tools to China.")
    assert pairs(rec, "actions") == {("Japan", "China"), ("Netherlands", "China")}
    rec = record("TikTok was banned by India and Nepal in 2020.")
    assert pairs(rec, "actions") == {("India", "TikTok"), ("Nepal", "TikTok")}


def test_courts_named_with_their_country_rule_on_measures() -> None:
    rec = record("Markets were calm on Tuesday.\nThe US Supreme Court on Monday upheld a law forcing Temu's owner "
                 "PDD Holdings to sell the business.")
    assert "United States" not in actor_names(rec)  # the country is part of the court's name
    assert ("US Supreme Court", "PDD Holdings") in pairs(rec, "actions")
    rec = record("Shares fell.\nLast year, the US Court of Appeals for the Fourth Circuit affirmed the ban on "
                 "Huawei equipment.")
    assert ("US Court of Appeals for the Fourth Circuit", "Huawei") in pairs(rec, "actions")


def test_a_body_name_the_ner_cuts_is_mended() -> None:
    rec = record("Shares fell.\nThe U.S. Attorney's Office for the Eastern District of Virginia has charged "
                 "Huawei with bank fraud.")
    assert ("U.S. Attorney's Office for the Eastern District of Virginia", "Huawei") in pairs(rec, "actions")
    assert "United States" not in actor_names(rec)


def test_the_charge_is_no_target() -> None:
    rec = record("Prosecutors said the Justice Department charged Huawei with illegally shipping chips to Iran.")
    assert pairs(rec, "actions") == {("Department of Justice", "Huawei")}


def test_an_act_without_a_target_is_kept_when_a_named_government_does_it() -> None:
    rec = record("Shares fell on Monday.\nColorado passed a law requiring chatbots to disclose that they are "
                 "not human. Japan is also investigating large technology platforms over their market power.")
    assert {("Colorado", ""), ("Japan", "")} <= pairs(rec, "actions")


def test_no_targetless_act_from_a_description_a_noun_or_its_own_companies() -> None:
    for text in ("Shares fell on Monday.\nA federal court released the indictment on Tuesday.",
                 "Shares fell on Monday.\nThe Pentagon's move reflects concerns in Washington.",
                 "Shares fell on Monday.\nThe Japanese government is restricting its own chipmakers.",
                 "Shares fell on Monday.\nThe Commerce Department hesitated on blacklisting anyone."):
        assert record(text)["actions"] == [], text


def test_a_list_that_includes_names_its_owner_as_issuer() -> None:
    rec = record("Shares fell on Monday.\nThe Commerce Department's Entity List now includes Hikvision. The "
                 "latest Pentagon blacklist included Tencent. The Commerce Department includes many economists.")
    kinds = {(a["issuer"], tuple(a["targets"]), a["kind"]) for a in rec["actions"]}
    assert kinds == {("Department of Commerce", ("Hikvision",), "entity_list"),
                     ("Department of Defense", ("Tencent",), "blacklist")}


def test_a_country_that_says_whose_a_named_target_is_is_no_target_of_its_own() -> None:
    rec = record("Japan has added China's Huawei and Russia's Kaspersky to its export control list.")
    assert pairs(rec, "actions") == {("Japan", "Huawei"), ("Japan", "Kaspersky")}
    rec = record("The US banned sales of Nvidia's H20 chips to China.")
    assert ("United States", "Nvidia") in pairs(rec, "actions")  # an owner of a thing stays a party


def test_the_nationality_of_the_measure_or_of_a_described_firm_is_no_target() -> None:
    rec = record("Japan imposed U.S.-style export controls on Huawei in May.")
    assert pairs(rec, "actions") == {("Japan", "Huawei")}
    rec = record("The White House eased restrictions on exporting chips from US firm Nvidia to Saudi Arabia.")
    assert ("White House", "United States") not in pairs(rec, "actions")


def test_a_counted_group_is_the_people_the_text_lists_beside_it() -> None:
    text = ("The Justice Department charged three Russian nationals with hacking a water utility.\n"
            "The three defendants, Ivan Petrov, Oleg Smirnov and Dmitry Volkov, remain in Russia.\n"
            "The three were also added to the FBI's most wanted list.\n")
    rec = record(text)
    people = {"Ivan Petrov", "Oleg Smirnov", "Dmitry Volkov"}
    assert {t for i, t in pairs(rec, "actions") if i == "Department of Justice"} == people
    assert {t for i, t in pairs(rec, "actions") if i == "Federal Bureau of Investigation"} == people
    assert {t for a, t in pairs(rec, "allegations") if a == "Department of Justice"} == people
    # a count the list does not match is left a group
    rec = record("The Justice Department charged two Russian nationals with hacking a water utility.\n"
                 "The defendants, Ivan Petrov, Oleg Smirnov and Dmitry Volkov, remain in Russia.\n")
    assert not {t for _, t in pairs(rec, "actions")} & people


def test_a_threatened_measure_is_a_threat_an_act_of_kind_other() -> None:
    rec = record("Shares fell.\nPresident Donald Trump threatened to impose a 100% tariff on Chinese goods.")
    assert [(a["issuer"], a["targets"], a["kind"]) for a in rec["actions"]] == [("Donald Trump", ["China"], "other")]
    assert record("Shares fell.\nThe US could threaten to ban TikTok.")["actions"] == []


def test_a_passive_act_without_agent_is_issued_by_the_government_that_reports_it() -> None:
    rec = record("Two executives of Huawei were detained, the Justice Department said on Friday.")
    assert pairs(rec, "actions") == {("Department of Justice", "Huawei")}
    rec = record("The Commerce Department said Inspur had been added to the Entity List.")
    assert pairs(rec, "actions") == {("Department of Commerce", "Inspur Group")}


def test_a_passive_act_without_agent_is_issued_by_the_country_it_happens_in() -> None:
    rec = record("TikTok was banned in India in 2020 along with dozens of other apps.")
    assert pairs(rec, "actions") == {("India", "TikTok")}
    # a place that is not a state issues nothing
    assert record("Nvidia was fined in a court in Delaware.")["actions"] == []


def test_a_government_advisory_or_alert_is_an_act_whose_target_is_the_agent_not_the_victim() -> None:
    rec = record("In 2022, MI5 issued an interference alert about the activities of Daniel Wong, a suspected "
                 "agent.")
    (ac,) = rec["actions"]
    assert (ac["issuer"], ac["kind"], ac["targets"]) == ("MI5", "other", ["Daniel Wong"])
    rec = record("The FBI sent out an alert about Iranian hacking attacks on Australian water utilities.")
    assert ("Federal Bureau of Investigation", "Australia") not in pairs(rec, "actions")
    # a company's warning is no government act
    assert record("Samsung issued a warning about its quarterly profits.")["actions"] == []


def test_a_state_is_no_target_of_its_own_body() -> None:
    rec = record("The Federal Communications Commission restricted sales of Hikvision cameras to U.S. customers.")
    assert pairs(rec, "actions") == {("Federal Communications Commission", "Hikvision")}
    rec = record("India's Ministry of Home Affairs banned the app across India.")
    assert ("Ministry of Home Affairs", "India") not in pairs(rec, "actions")


def test_a_loosening_act_is_policy_and_targets_who_gains_not_where_goods_go() -> None:
    rec = record("The White House eased restrictions on exports of advanced chips from Nvidia to Qatar and Kuwait.")
    (ac,) = rec["actions"]
    assert (ac["issuer"], ac["kind"], ac["targets"]) == ("White House", "policy", ["Nvidia"])
    rec = record("The Commerce Department granted Samsung a waiver to keep shipping tools to its plants in China.")
    assert {(a["issuer"], a["kind"], tuple(a["targets"])) for a in rec["actions"]} == {
        ("Department of Commerce", "policy", ("Samsung Electronics",))}
    # a measure that is imposed keeps its kind and its destination
    rec = record("The Commerce Department imposed export controls on chips bound for China.")
    assert {(a["kind"], tuple(a["targets"])) for a in rec["actions"]} == {("export_control", ("China",))}


def test_every_member_of_a_list_of_issuers_acts() -> None:
    # (the parser reads "CISA" as an apposition of "NSA" in such lists)
    rec = record("The NSA, CISA, and FBI also issued a joint advisory on Chinese state-sponsored hackers.")
    assert {a["issuer"] for a in rec["actions"]} == {"National Security Agency", "Federal Bureau of Investigation",
                                                     "Cybersecurity and Infrastructure Security Agency"}
    rec = record("Several states, including Texas and Virginia, have banned DeepSeek on government devices.")
    assert pairs(rec, "actions") == {("Texas", "DeepSeek"), ("Virginia", "DeepSeek")}
    rec = record("Authorities in other countries, including Malaysia, have begun investigating the deal.")
    assert {a["issuer"] for a in rec["actions"]} == {"Malaysia"}


def test_a_person_titled_once_acts_as_an_official_at_every_mention() -> None:
    rec = record("Home Secretary Dan Walsh spoke on Monday. Walsh announced sanctions on Huawei.")
    assert pairs(rec, "actions") == {("Dan Walsh", "Huawei")}
    assert record("Analyst Mark Li spoke on Monday. Li announced sanctions on Huawei.")["actions"] == []


def test_a_nominal_measure_with_a_possessive_issuer() -> None:
    rec = record("The chip was designed to comply with Washington's earlier trade curbs on China.")
    assert pairs(rec, "actions") == {("United States", "China")}


def test_actors_named_around_an_act_that_are_no_party_to_it() -> None:
    # the issuer of the instrument applied, the owner of a named party, the source, a partner of the issuer
    rec = record("The Treasury Department issued a rule to implement President Biden's executive order on "
                 "investments in China.")
    assert ("Department of the Treasury", "Joe Biden") not in pairs(rec, "actions")
    rec = record("The UK's Information Commissioner's Office announced a probe into Musk's AI tool, Grok.")
    assert pairs(rec, "actions") == {("Information Commissioner's Office", "Grok")}
    rec = record("Beijing has restricted exports of gallium to the US, said researcher Marina Zhang from the "
                 "Lowy Institute.")
    assert pairs(rec, "actions") == {("China", "United States")}
    rec = record("The European Commission opened an investigation into Temu, in conjunction with Ofcom.")
    assert ("European Commission", "Ofcom") not in pairs(rec, "actions")
    # what a party owns is no party of its own
    rec = record("The European Commission issued a €500m fine to Apple over its App Store.")
    assert pairs(rec, "actions") == {("European Commission", "Apple")}


def test_a_counted_group_is_the_people_the_story_last_named_together() -> None:
    rec = record("Prosecutors charged Reza Karimi and Ali Nouri with hacking election websites. The indictment "
                 "was filed in New York. The court heard the case in June. The judge set a trial date. Lawyers "
                 "for the defence declined to comment. The two suspects were also sanctioned by the Treasury "
                 "Department.")
    assert ("Department of the Treasury", "Reza Karimi") in pairs(rec, "actions")
    assert ("Department of the Treasury", "Ali Nouri") in pairs(rec, "actions")


def test_the_means_of_an_act_shares_the_main_verb_s_subject() -> None:
    rec = record("The White House has targeted Beijing's chip industry by blocking purchases of ASML's most "
                 "advanced machines.")
    assert ("White House", "ASML") in pairs(rec, "actions")


def test_an_act_not_taken_yet_is_no_action_and_a_loosening_has_its_own_pattern() -> None:
    assert record("The U.S. has not yet announced sanctions against DeepSeek.")["actions"] == []
    assert record("The Commerce Department has yet to decide on sanctions against Inspur.")["actions"] == []
    # a decision not to act stays, with its negation
    (ac,) = record("The Treasury Department decided not to sanction Huawei.")["actions"]
    assert ac["negated"] is True
    ex = extract("The White House exempted Apple from the new tariffs.")
    assert [a.evidence.pattern for a in ex.actions] == ["action/loosening"]


def test_a_place_that_describes_a_company_is_no_actor() -> None:
    rec = record("The Shenzhen-headquartered company filed a petition with the court against the ban.")
    assert "Shenzhen" not in actor_names(rec)


def test_an_instrument_s_content_says_whom_the_act_that_made_it_targets() -> None:
    rec = record("The legislation, signed into law by President Joe Biden, mandates that TikTok divest from "
                 "ByteDance.")
    assert pairs(rec, "actions") >= {("Joe Biden", "TikTok"), ("Joe Biden", "ByteDance")}


def test_officials_in_a_state_are_that_state() -> None:
    for text, issuer, target in (("Authorities in Portugal have begun investigating Huawei.", "Portugal", "Huawei"),
                                 ("Officials in Tokyo fined Tencent on Friday.", "Japan", "Tencent"),
                                 ("The regulators in Brazil banned DeepSeek in March.", "Brazil", "DeepSeek")):
        assert pairs(record(text), "actions") == {(issuer, target)}, text
    # people in a place who hold no office, and officials of a state already named, are not the place's state
    assert actor_names(record("Companies in Portugal bought Nvidia chips.")) == {"Nvidia"}
    rec = record("Chinese officials in Washington said the ban on Huawei was unfair.")
    assert "United States" not in actor_names(rec)


def test_a_person_the_gazetteer_lists_with_a_public_office_issues_acts() -> None:
    # "Treasury Secretary Scott Bessent" in the gazetteer: the surname alone is an official issuer
    assert pairs(record("Hegseth added Hikvision to the list."), "actions") == {("Pete Hegseth", "Hikvision")}
    assert pairs(record("Rubio imposed visa restrictions on Chinese officials."), "actions") == {
        ("Marco Rubio", "China")}


def test_a_nationality_or_a_states_possessive_before_an_official_noun_is_that_state() -> None:
    # the gazetteer spells out "Malaysian authorities" for a few states; the demonyms give every state's
    assert pairs(record("Portuguese regulators fined Huawei on Monday."), "actions") == {("Portugal", "Huawei")}
    assert pairs(record("Chile's government banned DeepSeek in March."), "actions") == {("Chile", "DeepSeek")}
    ex = extract("Huawei denied wrongdoing after Belgian regulators summoned the company.")
    assert [(a.issuer, a.targets, a.evidence.pattern) for a in ex.actions] == [
        ("belgium", ["huawei"], "action/verb")]


def test_a_passive_listing_is_the_act_of_the_government_keeping_the_list() -> None:
    assert pairs(record("Sugon was added to the Entity List in 2024."), "actions") == {
        ("Department of Commerce", "Sugon")}
    assert pairs(record("Skydio was placed on the unreliable entity list."), "actions") == {
        ("Ministry of Commerce of China", "Skydio")}
    assert record("Sugon was added to a list of partners.")["actions"] == []  # no known keeper


def test_list_keepers_are_gazetteer_actors() -> None:
    from ingest.gazetteer import Gazetteer
    from ingest.lexicon import load_lexicon

    entries = Gazetteer.load().entries
    assert all(owner in entries for _, owner in load_lexicon().list_owners)


def test_formal_proceedings_are_an_investigation() -> None:
    ex = extract("The European Commission opened formal proceedings against Temu on Tuesday.")
    assert [(a.issuer, a.kind) for a in ex.actions] == [("european-commission", ActionKind.investigation)]
