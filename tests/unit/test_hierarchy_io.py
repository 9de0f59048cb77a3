"""Import, export and templates of the hierarchy: round trips, merges and every bad file."""

from __future__ import annotations

import json

import pytest

from techledger.enums import Role
from techledger.services import hierarchy as h
from techledger.services import hierarchy_io as io
from techledger.services.errors import InvalidInput, NotFound, PermissionDenied
from tests.factories import make_org, org_with_roles, owner_actor

SAMPLE = {
    "format": "techledger.hierarchy",
    "version": 1,
    "systems": [
        {
            "name": "Sales",
            "description": "Selling things",
            "departments": [
                {
                    "name": "Customer <b>Relations</b>",
                    "practice_groups": [
                        {
                            "name": "Leads",
                            "action_groups": [
                                {
                                    "name": "Capture",
                                    "actions": [
                                        {
                                            "name": "Create Lead",
                                            "description": "From the web form",
                                            "application_name": "Salesforce",
                                            "transformations": [
                                                {
                                                    "name": "Validate email",
                                                    "input_data": {"email": "string"},
                                                    "output_data": {"valid": "boolean"},
                                                }
                                            ],
                                        }
                                    ],
                                }
                            ],
                        }
                    ],
                },
                {"name": "Empty department"},
            ],
        },
        {"name": "Finance"},
    ],
}


def _bytes(document) -> bytes:  # noqa: ANN001
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode()


@pytest.fixture
def owner(session):  # noqa: ANN001, ANN201
    return owner_actor(session, make_org(session))


def test_json_round_trip_is_identical(session, owner):
    data = _bytes(SAMPLE)
    report = io.import_file(session=session, actor=owner, filename="tree.json", data=data)
    assert report["added"] == 8
    assert report["added_by_level"]["transformation"] == 1
    assert io.export_json(session=session, actor=owner) == data
    # ... and into another organization: the same bytes again.
    other = owner_actor(session, make_org(session))
    exported = io.export_json(session=session, actor=owner)
    io.import_file(session=session, actor=other, filename="x.JSON", data=exported)
    assert io.export_json(session=session, actor=other) == data


def test_csv_export_has_one_row_per_leaf_path_and_reads_back(session, owner):
    io.import_file(session=session, actor=owner, filename="t.json", data=_bytes(SAMPLE))
    text = io.export_csv(session=session, actor=owner).decode()
    lines = text.splitlines()
    assert lines[0] == ",".join(io.CSV_HEADER)
    assert lines[1:] == [
        "Sales,Customer <b>Relations</b>,Leads,Capture,Create Lead,Salesforce,Validate email",
        "Sales,Empty department,,,,,",
        "Finance,,,,,,",
    ]
    other = owner_actor(session, make_org(session))
    io.import_file(session=session, actor=other, filename="t.csv", data=text.encode())
    assert io.export_csv(session=session, actor=other).decode() == text
    names = [n["name"] for n in h.list_nodes(session=session, actor=other)]
    assert names[:2] == ["Sales", "Finance"]


def test_import_merges_by_name_path_and_reports_what_it_added(session, owner):
    h.create_node(session=session, actor=owner, level="system", name="SALES")
    h.create_node(session=session, actor=owner, level="system", name="Operations")
    report = io.import_file(session=session, actor=owner, filename="t.json", data=_bytes(SAMPLE))
    assert report["already_there"] == 1
    assert report["added"] == 7
    assert report["added_paths"] == [
        "SALES > Customer <b>Relations</b>",
        "SALES > Empty department",
        "Finance",
    ]
    assert "Added 7 nodes" in report["summary"] and "1 were already there" in report["summary"]
    systems = [
        n["name"] for n in h.list_nodes(session=session, actor=owner) if n["level"] == "system"
    ]
    assert systems == ["SALES", "Operations", "Finance"]
    again = io.import_file(session=session, actor=owner, filename="t.json", data=_bytes(SAMPLE))
    assert again["added"] == 0 and "Nothing to add" in again["summary"]


def test_dry_run_writes_nothing(session, owner):
    report = io.import_file(
        session=session, actor=owner, filename="t.json", data=_bytes(SAMPLE), dry_run=True
    )
    assert report["added"] == 8 and report["summary"].startswith("Would add 8 nodes")
    assert h.count_nodes(session=session, actor=owner) == 0


def _rejected(session, owner, filename, data):  # noqa: ANN001, ANN202
    with pytest.raises(io.ImportRejected) as caught:
        io.import_file(session=session, actor=owner, filename=filename, data=data)
    assert h.count_nodes(session=session, actor=owner) == 0
    return caught.value.errors


def _with(**changes):  # noqa: ANN003, ANN202
    document = json.loads(json.dumps(SAMPLE))
    for path, value in changes.items():
        target = document
        keys = path.split("__")
        for key in keys[:-1]:
            target = target[int(key)] if key.isdigit() else target[key]
        target[keys[-1]] = value
    return document


def test_malformed_json_reports_the_line(session, owner):
    errors = _rejected(session, owner, "t.json", b'{\n  "systems": [\n    {"name": "A",}\n  ]\n}')
    assert errors == [errors[0]] and errors[0].startswith("Line 3, column")


def test_every_problem_is_reported_with_its_path(session, owner):
    document = _with(
        systems__0__departments__0__name="",
        systems__0__departments__1__name="x" * 201,
        systems__1__name="Sales",
    )
    document["systems"][0]["departments"][0]["practice_groups"][0]["action_groups"][0]["actions"][
        0
    ].pop("application_name")
    errors = _rejected(session, owner, "t.json", _bytes(document))
    text = "\n".join(errors)
    assert "$.systems[0].departments[0].name: the name is empty" in text
    assert "$.systems[0].departments[1].name: the name is 201 characters long; at most 200" in text
    assert "application name" in text and "actions[0].application_name" in text
    assert "$.systems[1]: the name 'Sales' is used twice" in text
    assert len(errors) == 4


def test_too_deep_json_is_refused(session, owner):
    document = json.loads(json.dumps(SAMPLE))
    action = document["systems"][0]["departments"][0]["practice_groups"][0]["action_groups"][0][
        "actions"
    ][0]
    action["transformations"][0]["children"] = [{"name": "Seventh level"}]
    errors = _rejected(session, owner, "t.json", _bytes(document))
    assert "too deep" in errors[0] and "transformations[0]" in errors[0]


def test_absurdly_nested_json_is_refused(session, owner):
    errors = _rejected(session, owner, "t.json", b"[" * 100_000 + b"]" * 100_000)
    assert "nested far too deeply" in errors[0]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"[1, 2]", "must be an object"),
        (b'"just text"', "must hold an object"),
        (b'{"format": "other", "systems": []}', "expected 'techledger.hierarchy'"),
        (b'{"systems": {"name": "A"}}', "must be a list"),
        (b'{"sistems": []}', "unknown key"),
        (b'{"systems": [{"name": "A", "departements": []}]}', "unknown key 'departements'"),
        (b'{"systems": [{"name": 5}]}', "must be text"),
        (b'{"systems": [{"name": "A", "application_name": "X"}]}', "only Actions"),
    ],
)
def test_wrong_json_shapes(session, owner, data, message):
    errors = _rejected(session, owner, "t.json", data)
    assert message in "\n".join(errors)


def test_a_20_mb_file_is_refused_before_reading(session, owner):
    data = b'{"systems": [' + b" " * (20 * 1024 * 1024) + b"]}"
    errors = _rejected(session, owner, "big.json", data)
    assert errors == [
        "The file is 20.0 MB; an import may be at most 10 MB. Split it into several files."
    ]


def test_too_many_nodes_are_refused(session, owner, monkeypatch):
    monkeypatch.setattr(io, "MAX_IMPORT_NODES", 5)
    errors = _rejected(session, owner, "t.json", _bytes(SAMPLE))
    assert "8 nodes; an import may add at most 5" in errors[0]


def test_wrong_csv_header(session, owner):
    errors = _rejected(session, owner, "t.csv", b"Sys,Dept\nA,B\n")
    assert errors[0].startswith("Line 1: the header must be exactly: System, Department")


def test_too_deep_csv(session, owner):
    header = ",".join([*io.CSV_HEADER, "Step"]).encode()
    errors = _rejected(session, owner, "t.csv", header + b"\nA,B,C,D,E,App,T,U\n")
    assert "too deep" in errors[0]
    header = ",".join(io.CSV_HEADER).encode()
    errors = _rejected(session, owner, "t.csv", header + b"\nA,B,C,D,E,App,T,U\n")
    assert errors[0].startswith("Line 2: 8 values") and "six levels" in errors[0]


def test_csv_row_problems_are_all_reported_with_lines(session, owner):
    header = ",".join(io.CSV_HEADER)
    rows = [
        header,
        "Sales,,Leads,,,,",  # gap
        "Sales,CRM,Leads,Capture,Create Lead,,",  # no application
        "Sales,CRM,Leads,Capture,,Salesforce,",  # application without action
        "Sales,CRM," + "x" * 201 + ",,,,",  # too long
        "Sales,CRM,Leads,,,,",
        "sales,crm,LEADS,,,,",  # same path again
        "Ops,CRM,Leads,Capture,Call,Phone,",
        "Ops,CRM,Leads,Capture,Call,Teams,Log it",  # application differs
    ]
    errors = _rejected(session, owner, "t.csv", "\n".join(rows).encode())
    assert [e.split(":")[0] for e in errors] == [f"Line {n}" for n in (2, 3, 4, 5, 7, 9)]
    assert "Department is empty" in errors[0]
    assert "needs its Application" in errors[1]
    assert "Application is given but no Action" in errors[2]
    assert "201 characters" in errors[3]
    assert "same path as line 6" in errors[4]
    assert "'Teams' here but 'Phone'" in errors[5]


def test_non_utf8_csv_is_refused_with_a_hint(session, owner):
    data = (",".join(io.CSV_HEADER) + "\nVentes,Comptabilité,,,,,\n").encode("latin-1")
    errors = _rejected(session, owner, "t.csv", data)
    assert errors[0].startswith("Line 2: the file is not UTF-8") and "CSV UTF-8" in errors[0]


def test_csv_with_header_only_and_wrong_extension(session, owner):
    errors = _rejected(session, owner, "t.csv", ",".join(io.CSV_HEADER).encode() + b"\n")
    assert "no rows" in errors[0]
    with pytest.raises(InvalidInput, match="neither a .json nor a .csv"):
        io.import_file(session=session, actor=owner, filename="tree.xlsx", data=b"x")


def test_utf8_bom_csv_from_excel_is_read(session, owner):
    data = ("\ufeff" + ",".join(io.CSV_HEADER) + "\r\nVentes,Comptabilité,,,,,\r\n").encode()
    report = io.import_file(session=session, actor=owner, filename="t.csv", data=data)
    assert report["added"] == 2


def test_templates_are_listed_and_applied(session, owner):
    templates = io.list_templates()
    titles = [t["title"] for t in templates]
    assert "Sales & CRM on Salesforce" in titles and "Finance on SAP" in titles
    for template in templates:
        assert template["nodes"] > 20
    report = io.apply_template(session=session, actor=owner, slug="finance-sap")
    assert report["added"] == next(t["nodes"] for t in templates if t["slug"] == "finance-sap")
    assert h.list_nodes(session=session, actor=owner)[0]["name"] == "Finance"
    with pytest.raises(NotFound):
        io.apply_template(session=session, actor=owner, slug="../../etc/passwd")


def test_demo_is_built_from_the_templates(session):
    from techledger.services import demo

    result = demo.create_demo(session=session, email="demo-h@example.com", password="demo-password")
    expected = sum(t["nodes"] for t in io.list_templates() if t["slug"] in demo.DEMO_TEMPLATES)
    assert result["nodes_created"] == expected
    assert (
        demo.create_demo(session=session, email="demo-h@example.com", password="demo-password")[
            "nodes_created"
        ]
        == 0
    )


@pytest.mark.parametrize("role", list(Role))
def test_import_and_export_roles(session, role):
    org, actors = org_with_roles(session)
    actor = actors[role]
    assert io.export_json(session=session, actor=actor).startswith(b"{")
    if role in (Role.OWNER, Role.ADMIN):
        assert (
            io.import_file(session=session, actor=actor, filename="t.json", data=_bytes(SAMPLE))[
                "added"
            ]
            == 8
        )
    else:
        with pytest.raises(PermissionDenied):
            io.import_file(session=session, actor=actor, filename="t.json", data=_bytes(SAMPLE))
        with pytest.raises(PermissionDenied):
            io.apply_template(session=session, actor=actor, slug="finance-sap")
        assert h.count_nodes(session=session, actor=actor) == 0


def test_export_holds_only_the_actors_organization(session, owner):
    other = owner_actor(session, make_org(session))
    io.import_file(session=session, actor=other, filename="t.json", data=_bytes(SAMPLE))
    assert json.loads(io.export_json(session=session, actor=owner))["systems"] == []
