"""Parses the scrape that exposition_sample prints with the Prometheus
project's own parser (python3-prometheus-client) and checks every family,
label and value came through as written.

usage: python3 metrics_parse_test.py PATH_TO_exposition_sample
"""
import math
import subprocess
import sys

from prometheus_client.parser import text_string_to_metric_families


def main():
    text = subprocess.run([sys.argv[1]], check=True, capture_output=True,
                          text=True).stdout
    families = {f.name: f for f in text_string_to_metric_families(text)}
    # The parser drops a counter's _total from the family name.
    started = families["grpc_server_started"]
    assert started.type == "counter", started.type
    got = {(s.labels["grpc_service"], s.labels["grpc_method"]): s.value
           for s in started.samples}
    assert got[("jianyan.v1.IntakeService", "SubmitCase")] == 3, got
    assert got[('odd "svc"', "back\\slash\nnewline")] == 1, got

    hist = families["grpc_server_handling_seconds"]
    assert hist.type == "histogram", hist.type
    buckets = {s.labels["le"]: s.value for s in hist.samples
               if s.name.endswith("_bucket")}
    assert buckets["0.005"] == 1 and buckets["0.025"] == 2, buckets
    assert buckets["0.5"] == 3 and buckets["10"] == 3, buckets
    assert buckets["+Inf"] == 4, buckets
    count = [s.value for s in hist.samples if s.name.endswith("_count")]
    total = [s.value for s in hist.samples if s.name.endswith("_sum")]
    assert count == [4], count
    assert abs(total[0] - 12.321) < 1e-9, total

    open_cases = families["jianyan_open_cases"]
    assert open_cases.type == "gauge"
    assert open_cases.documentation == "Open cases by kind and state (信访)."
    assert open_cases.samples[0].labels == {"kind": "petition",
                                            "state": "登记"}
    rate = families["rocksdb_actual_delayed_write_rate"]
    assert rate.documentation == "Help with \\ and\nline.", rate.documentation
    assert math.isinf(rate.samples[0].value)
    print("ok:", len(families), "families")


if __name__ == "__main__":
    main()
