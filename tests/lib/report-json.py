#!/usr/bin/env python3
"""Check a report.json: valid against docs/report-schema.json, and saying what
the text report beside it says (e820 tables, node memory, zones, options,
defects, Linux's efi: line and the EFI tables' reservations).  Usage: report-json.py REPORT_JSON REPORT_TXT.  Exit 0 when it
agrees; otherwise one line per disagreement and exit 1."""
import json
import sys

import jsonschema

here = __file__.rsplit("/tests/lib/", 1)[0]


def h16(v):
    return "0x%016x" % int(v, 16)


def main():
    report = json.load(open(sys.argv[1]))
    schema = json.load(open(here + "/docs/report-schema.json"))
    text = [l.rstrip("\r\n") for l in open(sys.argv[2], errors="replace")]
    problems = []
    for err in jsonschema.Draft202012Validator(schema).iter_errors(report):
        problems.append("schema: %s at %s" % (err.message, "/".join(map(str, err.path))))

    def same(what, from_json, prefix_or_pred):
        pred = prefix_or_pred if callable(prefix_or_pred) else (lambda l: l.startswith(prefix_or_pred))
        from_text = [l for l in text if pred(l)]
        if from_json != from_text:
            problems.append("%s: report.json gives %d lines, report.txt %d; first difference: %s"
                            % (what, len(from_json), len(from_text),
                               next(((a, b) for a, b in zip(from_json, from_text) if a != b),
                                    "one list is longer")))

    same("BIOS-e820", ["BIOS-e820: [mem %s-%s] %s" % (h16(e["start"]), h16(e["end"]), e["type"])
                       for e in report["e820"]["firmware"]], "BIOS-e820: ")
    same("node memory", ["memprobe: node %d memory: [mem %s-%s]" % (n["node"], h16(r["start"]), h16(r["end"]))
                         for n in report["nodes"] for r in n["memory"]], lambda l: " memory: [mem " in l
                         and l.startswith("memprobe: node "))
    same("zones", ["Node %d, zone %8s: spanned %d, present %d, start_pfn %s"
                   % (n["node"], z["zone"], z["spanned"], z["present"], z["start_pfn"])
                   for n in report["nodes"] for z in n["zones"]], lambda l: l.startswith("Node ") and ", zone " in l
         and "spanned" in l)
    words = report["options"]["words"]
    same("options", ["memprobe: options: " + words] if words else [], "memprobe: options: ")
    defects = [l for l in text if "[Firmware Bug]: " in l]
    if [d["text"] for d in report["defects"]] != defects[:len(report["defects"])] or \
            len(defects) != len(report["defects"]) + report["defects_not_listed"]:
        problems.append("defects: report.json lists %d (+%d not listed), report.txt has %d [Firmware Bug] lines"
                        % (len(report["defects"]), report["defects_not_listed"], len(defects)))
    for d in report["defects"]:
        named = ["offset 0x%x" % d["offset"], "offset %d" % d["offset"]] if d["offset"] is not None else []
        if d["table"] not in d["text"] or (named and not any(n in d["text"] for n in named)) or \
                (not named and " offset " in d["text"]):
            problems.append("defects: table %s, offset %s do not fit the line: %s" % (d["table"], d["offset"], d["text"]))
    named = [t for t in report["efi_tables"]["config_tables"] if t.get("linux_name")]
    if named:
        same("efi: line", ["efi: " + "".join("%s=%s " % (t["linux_name"], t["address"]) for t in named)],
             lambda l: l.startswith("efi: ") and "=0x" in l and not l.startswith("efi: mem"))
    for r in report["efi_tables"]["efi_mem_reserve"]:
        line = "e820: update [mem %#010x-%#010x] usable ==> reserved" % (int(r["start"], 16), int(r["end"], 16))
        if line not in text:
            problems.append("efi_mem_reserve: report.txt has no line '%s'" % line)
    same("node count", ["NUMA node(s):           %d" % len(report["nodes"])], "NUMA node(s): ")
    for p in problems[:20]:
        print(p)
    return 1 if problems else 0


sys.exit(main())
