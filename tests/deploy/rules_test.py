"""Checks deploy/prometheus/jianyan-rules.yml: the structure Prometheus
wants of a rules file, the five alerts operations asks for, and that every
metric an expression names is one jianyand exports (the names are read from
the sources that write them). With promtool on PATH (Debian's prometheus
package), `promtool check rules` runs too.

usage: python3 rules_test.py SOURCE_DIR
"""
import pathlib
import re
import shutil
import subprocess
import sys

import yaml

DURATION = re.compile(r"^([0-9]+(ms|s|m|h|d|w|y))+$")
METRIC = re.compile(r"\b((?:jianyan|rocksdb|grpc_server)_[a-z_]+)\b")
REQUIRED = {  # alert -> what operations asked for
    "JianyanNotServing": "core not serving",
    "JianyanWritesStopped": "write stalls",
    "JianyanTimerLag": "timer lag over 5 minutes",
    "JianyanOverdueCasesRising": "overdue cases rising",
    "JianyanErrorRate": "error rate by code",
}


def exported_metrics(root):
    names = set()
    for path in list((root / "services/metrics").glob("*.cc")) + [
            root / "services/jianyand/daemon.cc"]:
        for name in re.findall(r'"((?:jianyan|rocksdb|grpc_server)_[a-z_]+)"',
                               path.read_text()):
            names.add(name)
    # A histogram's series.
    for name in list(names):
        names.update({name + "_bucket", name + "_sum", name + "_count"})
    return names


def check(root):
    rules_file = root / "deploy/prometheus/jianyan-rules.yml"
    doc = yaml.safe_load(rules_file.read_text())
    assert set(doc) == {"groups"}, doc.keys()
    exported = exported_metrics(root)
    assert "jianyan_timer_lag_seconds" in exported, exported
    alerts = {}
    groups = set()
    for group in doc["groups"]:
        assert set(group) <= {"name", "interval", "rules"}, group.keys()
        assert group["name"] not in groups, group["name"]
        groups.add(group["name"])
        for rule in group["rules"]:
            assert set(rule) <= {"alert", "expr", "for", "labels",
                                 "annotations"}, rule.keys()
            name = rule["alert"]
            assert re.fullmatch(r"[A-Z][A-Za-z0-9]+", name), name
            assert name not in alerts, name
            expr = rule["expr"]
            assert isinstance(expr, str) and expr.strip(), name
            assert expr.count("(") == expr.count(")"), name
            assert expr.count("{") == expr.count("}"), name
            assert DURATION.match(str(rule["for"])), (name, rule["for"])
            assert rule["labels"]["severity"] in {"critical", "warning"}, name
            assert rule["annotations"]["summary"].strip(), name
            for metric in METRIC.findall(expr):
                assert metric in exported, (name, metric)
            alerts[name] = expr
    missing = set(REQUIRED) - set(alerts)
    assert not missing, missing
    assert "300" in alerts["JianyanTimerLag"], alerts["JianyanTimerLag"]
    assert "grpc_code" in alerts["JianyanErrorRate"]
    promtool = shutil.which("promtool")
    if promtool:
        subprocess.run([promtool, "check", "rules", str(rules_file)],
                       check=True)
    print("ok:", len(alerts), "alerts", "(promtool too)" if promtool else "")


if __name__ == "__main__":
    check(pathlib.Path(sys.argv[1]))
