"""Actors: gazetteer aliases, lab vs model, capital metonyms, unnamed groups and bodies, NER
fallback, and what is not an actor (outlets, credits, market locations)."""

from __future__ import annotations

from ingest.gazetteer import Gazetteer
from ontology.models import ActorType
from tests.test_extract_common import actor_names, extract, pairs, record


def test_gazetteer_is_data_and_large_enough() -> None:
    gaz = Gazetteer.load()
    assert len(gaz.entries) >= 150
    kinds = {e.type for e in gaz.entries.values()}
    assert {ActorType.Organization, ActorType.GovernmentBody, ActorType.Country, ActorType.AIModel} <= kinds
    assert gaz.lookup("Alibaba Group Holding Ltd.") is gaz.lookup("alibaba")  # case and suffix variants


def test_gazetteer_identifiers_are_wikidata_qids_each_for_one_entry() -> None:
    entries = list(Gazetteer.load().entries.values())
    qids = [e.wikidata for e in entries if e.wikidata]
    assert len(qids) == len(set(qids)) >= 300  # one entity each
    states = [e for e in entries if e.type is ActorType.Country and e.country]
    assert all(isinstance(e.country, str) and len(e.country) == 2 for e in states)  # "NO" is Norway, not false
    assert {e.id: e.wikidata for e in states if e.id in ("united-states", "china", "norway")} == {
        "united-states": "Q30", "china": "Q148", "norway": "Q20"}


def test_extracted_gazetteer_actors_carry_their_wikidata_qid() -> None:
    ex = extract("The United States accused Northwind Robotics of smuggling chips, and China denied it.")
    qids = {a.name: a.wikidata for a in ex.actors}
    assert qids == {"United States": "Q30", "Northwind Robotics": None, "China": "Q148"}


def test_aliases_resolve_to_one_actor_with_the_forms_used_here() -> None:
    rec = record("Alibaba Group Holding reported higher cloud revenue. Analysts said Alibaba would keep "
                 "spending on data centres.")
    (ali,) = [a for a in rec["actors"] if a["name"] == "Alibaba Group"]
    assert set(ali["aliases"]) == {"Alibaba Group Holding", "Alibaba"}


def test_lab_and_model_stay_distinct() -> None:
    rec = record("The Alibaba Qwen team released new Qwen models, and Alibaba said more would follow.")
    types = {a["name"]: a["type"] for a in rec["actors"]}
    assert types["Alibaba Qwen"] == "Organization"
    assert types["Qwen"] == "AIModel"
    assert types["Alibaba Group"] == "Organization"


def test_capital_metonyms_and_officials_are_the_state() -> None:
    # (roles for both states, so that the test is about aliases, not the listing model)
    rec = record("Washington accused Beijing of hacking after American officials met their counterparts.")
    by_name = {a["name"]: a for a in rec["actors"]}
    assert "Washington" in by_name["United States"]["aliases"]
    assert "American officials" in by_name["United States"]["aliases"]
    assert "Beijing" in by_name["China"]["aliases"]


def test_outlets_and_credits_are_not_actors() -> None:
    rec = record("Photo: Reuters/Getty Images\nNvidia shares rose 2%, Reuters reported, citing a filing.")
    names = actor_names(rec)
    assert "Reuters" not in names and "Nvidia" in names
    assert [a["source"] for a in rec["attributions"]] == ["Reuters"]


def test_market_locations_are_not_states() -> None:
    rec = record("Tencent stock slipped 3% in Hong Kong trading on Friday.")
    assert "Hong Kong" not in actor_names(rec)


def test_unknown_organisation_found_by_ner_when_it_plays_a_role() -> None:
    rec = record("Zhiyuan Robotics accused Unitree Robotics of stealing its designs.")
    types = {a["name"]: a["type"] for a in rec["actors"]}
    assert types.get("Zhiyuan Robotics") == "Organization"
    assert ("Zhiyuan Robotics", "Unitree Robotics") in {(a["accuser"], x) for a in rec["allegations"]
                                                         for x in a["accused"]}


def test_unnamed_groups_join_the_named_collective_of_the_same_nationality() -> None:
    rec = record("Researchers said Chinese AI labs were racing ahead. OpenAI accused four Chinese companies of "
                 "copying its models' outputs.")
    groups = [a for a in rec["actors"] if a["type"] == "Other"]
    assert len(groups) == 1 and groups[0]["name"] == "Chinese AI labs"
    assert "Chinese companies" in groups[0]["aliases"]
    assert groups[0]["ontology_type"] == "Group"


def test_unnamed_collectives_are_listed_only_when_they_take_part() -> None:
    rec = record("Chinese AI companies like Baidu have grown quickly this decade.")
    assert "Chinese AI labs" not in actor_names(rec)
    assert "Baidu" in actor_names(rec)


def test_unnamed_government_body_in_a_role() -> None:
    rec = record("In May 2024, a Senate subcommittee opened an investigation into Nvidia's sales in China.")
    assert "Senate subcommittee" in actor_names(rec)
    assert ("Senate subcommittee", "Nvidia") in {(a["issuer"], t) for a in rec["actions"] for t in a["targets"]}


def test_model_names_found_from_context_with_versions_as_aliases() -> None:
    rec = record("The lab restricted its newest models, like Orion 3 and Vela Pro, for overseas users. "
                 "Orion was trained on public data.")
    models = {a["name"]: a["aliases"] for a in rec["actors"] if a["type"] == "AIModel"}
    assert "Orion" in models and "Orion 3" in models["Orion"]
    assert "Vela" in models and "Vela Pro" in models["Vela"]


def test_actor_ids_are_gazetteer_ids_or_slugs() -> None:
    ex = extract("Zhiyuan Robotics accused Huawei of stealing chip designs.")
    ids = {a.name: a.id for a in ex.actors}
    assert ids["Huawei"] == "huawei" and ids["Zhiyuan Robotics"] == "zhiyuan-robotics"


def test_a_quoted_nickname_inside_a_name_is_one_person() -> None:
    rec = record('Prosecutors said Ming-Hua "Tony" Lee and Robert “Bob” Hall smuggled Nvidia GPUs to China, the '
                 "Justice Department said. Lee was arrested on Monday.")
    names = actor_names(rec)
    assert {"Ming-Hua Lee", "Robert Hall"} <= names
    assert not any("Tony" in n or n == "Lee" for n in names)
    assert pairs(rec, "allegations") == {("Department of Justice", "Ming-Hua Lee"),
                                         ("Department of Justice", "Robert Hall")}


def test_body_owned_by_a_state_is_one_actor_named_with_its_owner() -> None:
    rec = record("Vietnam’s trade ministry has added two Chinese technology firms, Hikvision and Huawei, to its export "
                 "control list.")
    (ac,) = rec["actions"]
    assert ac["issuer"] == "Vietnam’s trade ministry"
    assert set(ac["targets"]) == {"Hikvision", "Huawei"}  # "Chinese technology firms" only describes them
    assert "Vietnam" not in actor_names(rec)  # the owner qualifies the ministry, it takes no part
    # a ministry the gazetteer knows is found under its own name
    rec = record("Japan’s trade ministry has added Hikvision to its export control list.")
    assert rec["actions"][0]["issuer"] == "Ministry of Economy, Trade and Industry"


def test_office_of_an_official_and_its_short_form_are_one_body() -> None:
    rec = record("The prosecutor's office said the founder had been questioned. The Lyon prosecutor's office "
                 "opened an investigation into Telegram.")
    bodies = [a for a in rec["actors"] if a["type"] == "GovernmentBody"]
    assert [b["name"] for b in bodies] == ["Lyon prosecutor's office"]
    assert "prosecutor's office" in bodies[0]["aliases"]


def test_missions_abroad_are_named_by_where_they_sit() -> None:
    rec = record("The Chinese embassy in Ottawa accused Canada of spreading disinformation.")
    assert ("Chinese embassy in Ottawa", "Canada") in pairs(rec, "allegations")


def test_a_lower_case_body_noun_needs_an_owner_or_modifier() -> None:
    rec = record("The agency said the embassy would reopen, and regulators praised the artificial "
                 "intelligence rules.")
    assert not [a for a in rec["actors"] if a["type"] == "GovernmentBody"]


def test_a_short_description_fitting_two_owners_stays_apart() -> None:
    rec = record("Vietnam's commerce ministry and China's commerce ministry sanctioned Huawei. Officials at "
                 "the commerce ministry did not comment.")
    by_name = {a["name"]: a for a in rec["actors"]}
    assert by_name["Vietnam's commerce ministry"]["aliases"] == []
    assert by_name["Ministry of Commerce of China"]["aliases"] == ["China's commerce ministry"]


def test_an_owned_gazetteer_name_keeps_the_form_the_text_used() -> None:
    rec = record("China’s embassy in Washington condemned the sanctions on Huawei.")
    (emb,) = [a for a in rec["actors"] if a["type"] == "GovernmentBody"]
    assert "China’s embassy in Washington" in emb["aliases"]


def test_a_capitalised_body_noun_is_the_short_name_of_the_one_body_with_that_word() -> None:
    rec = record("The European Commission opened a probe into TikTok. The Commission said TikTok had failed to "
                 "assess the risks of illegal products.")
    names = actor_names(rec)
    assert "Commission" not in names
    assert ("European Commission", "TikTok") in pairs(rec, "allegations")
    # two bodies with the word: the short name is left alone
    rec = record("The European Commission and the Federal Trade Commission met. The Commission said little.")
    by_name = {a["name"]: a for a in rec["actors"]}
    assert "Commission" not in by_name.get("European Commission", {"aliases": []})["aliases"]


def test_a_capitalised_title_alone_stands_for_the_official_named_before() -> None:
    rec = record("President Emmanuel Macron spoke on Monday. The President also ordered an investigation into "
                 "Shein.")
    assert ("Emmanuel Macron", "Shein") in pairs(rec, "actions")


def test_a_leaders_government_is_the_administration() -> None:
    rec = record("Shares fell on Monday.\nBiden's government sanctioned SMIC, and Trump's administration later "
                 "added Huawei to the Entity List. Trump said he would not back down.")
    assert {("Biden administration", "SMIC"), ("Trump administration", "Huawei")} <= pairs(rec, "actions")
    assert "Donald Trump" in actor_names(rec)  # the leader named alone stays the person


def test_a_surname_alone_is_the_person_named_in_full_before_whatever_the_ner_label() -> None:
    # (the small English model tags "Sokolov" ORG in the second sentence)
    rec = record("The Justice Department charged Dmitry Sokolov with hacking a water utility.\n"
                 "The Treasury Department also sanctioned Sokolov.")
    assert [(a["name"], a["type"]) for a in rec["actors"] if "Sokolov" in a["name"]] == [("Dmitry Sokolov", "Person")]
    assert pairs(rec, "actions") == {("Department of Justice", "Dmitry Sokolov"),
                                     ("Department of the Treasury", "Dmitry Sokolov")}


def test_the_name_a_group_is_given_is_a_group_and_stays_one_when_used_again() -> None:
    rec = record("Researchers said a hacking network dubbed Amber Typhoon had breached telecom firms.\n"
                 "Amber Typhoon mostly targets providers in Asia, the researchers said.")
    groups = [a for a in rec["actors"] if a["name"] == "Amber Typhoon"]
    assert len(groups) == 1 and groups[0]["type"] == "Other"


def test_a_tracking_code_in_brackets_is_the_alias_of_the_name_it_glosses() -> None:
    rec = record("Microsoft said North Korean hackers Jade Sleet (TA444) had stolen crypto from exchanges.")
    assert [(a["name"], a["aliases"], a["type"]) for a in rec["actors"] if a["type"] == "Other"] == [
        ("Jade Sleet", ["TA444"], "Other")]


def test_a_body_described_before_it_is_named_is_the_named_body() -> None:
    rec = record("A federal appeals court has upheld the ban on Kaspersky software.\n"
                 "The U.S. Court of Appeals for the Fourth Circuit ruled that the ban was lawful.")
    courts = [a for a in rec["actors"] if "ourt" in a["name"]]
    assert [a["name"] for a in courts] == ["U.S. Court of Appeals for the Fourth Circuit"]
    # two named bodies the description fits: it stays apart
    rec = record("A federal appeals court upheld the ban on Kaspersky software.\nThe U.S. Court of Appeals for "
                 "the Fourth Circuit and the U.S. Court of Appeals for the Ninth Circuit both heard the case.")
    assert "federal appeals court" in actor_names(rec)


def test_a_shorter_description_of_a_described_body_is_that_body() -> None:
    rec = record("Police searched the offices after the Paris prosecutor's office opened an inquiry into Apple.\n"
                 "Apple accused the Paris Public Prosecutor's office of an \"abusive act\".")
    offices = [a["name"] for a in rec["actors"] if a["type"] == "GovernmentBody"]
    assert offices == ["Paris Public Prosecutor's office"]
    assert pairs(rec, "actions") == {("Paris Public Prosecutor's office", "Apple")}


def test_a_one_word_name_in_capitals_is_the_company() -> None:
    rec = record("The tariff covers chips such as the NVIDIA H200, the White House said.")
    assert "Nvidia" in actor_names(rec)


def test_a_name_after_a_word_that_says_it_is_a_company_is_an_organisation() -> None:
    rec = record("The European Commission opened an investigation into the shopping app Temu.")
    assert pairs(rec, "actions") == {("European Commission", "Temu")}
    assert ("Temu", "Organization") in {(a["name"], a["type"]) for a in rec["actors"]}
    # the gazetteer decides what the bare name is, though its ruler does not match one letter
    rec = record("Elon Musk's social media platform X was fined by the European Commission.")
    assert pairs(rec, "actions") == {("European Commission", "X Corp.")}
    assert record("The company Monday said it would appeal the fine.")["actors"] == []


def test_a_peer_s_title_is_part_of_the_name_and_a_party_state_tag_is_no_actor() -> None:
    rec = record("The Lord Speaker, Lord Fowler, and Chairman Brian Mast, R-Fla., sanctioned the firm Kestrel "
                 "Networks.")
    kinds = {(a["name"], a["type"]) for a in rec["actors"]}
    assert ("Fla.", "GovernmentBody") not in kinds and not any(name == "Fla." for name, _ in kinds)
    rec = record("Commons Speaker Sir Lindsay Hoyle and his counterpart in the House of Lords, Lord McFall, "
                 "circulated the warning to peers.")
    assert ("Lord McFall", "Person") in {(a["name"], a["type"]) for a in rec["actors"]}


def test_a_name_set_off_by_a_person_s_role_is_a_person_and_so_is_its_surname_later() -> None:
    rec = record("Viktor Orlan - founder of the messaging app Zangi - criticised the French authorities on Tuesday. "
                 "Investors were worried. Orlan was arrested and detained in France in August 2024.")
    people = [a for a in rec["actors"] if a["type"] == "Person"]
    assert [p["name"] for p in people] == ["Viktor Orlan"]
    assert pairs(rec, "actions") == {("France", "Viktor Orlan")}
    rec = record("Jane Roe, the company's chief executive, said the fine imposed by the European Commission was "
                 "unfair.")
    assert ("Jane Roe", "Person") in {(a["name"], a["type"]) for a in rec["actors"]}


def test_a_power_a_body_has_is_no_body() -> None:
    rec = record("Skydio said the agency exceeded its statutory authority when it banned the drones.")
    assert "statutory authority" not in {a.lower() for a in actor_names(rec)}
    rec = record("The Irish data protection authority fined Meituan on Friday.")
    assert "Irish data protection authority" in actor_names(rec) and "Meituan" in actor_names(rec)
