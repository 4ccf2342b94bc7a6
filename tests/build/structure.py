#!/usr/bin/env python3
"""The core's structure, from its own #include lines and declarations.

- No header includes itself through others (no include cycle).
- The layers point one way:
    lib     includes only lib;
    acpi    only lib and acpi;
    x86, mm lib, acpi, x86, mm, and the state and configuration a stage
            reads (machine.h, options.h, profile.h);
    report  all of those and report;
    the run (pipeline, runfile) anything of the core.
  No header below the state (lib, acpi, x86, mm, options.h, profile.h)
  includes machine.h, so struct machine can hold their types.
- The core is freestanding: no libc, UEFI or host header, nothing of efi/,
  host/ or tests/.
- Header and source names match: a function core/D/N.c exports is declared
  in include/memprobe/D/N.h, and one that header declares is defined there.
- A function no other file names is static.
- An exported function that returns a value has a comment with "Return:".
- Every "[Firmware Bug]" line is printed by fw_bug(), which records it.
- The UEFI front end checks the status of every firmware call.

Usage: structure.py (from the top of the tree).  Prints PASS/FAIL lines and
"structure: N passed, N failed"; exit 1 when something failed.
"""
import os
import re
import subprocess
import sys
import tempfile

INCLUDE = "include/memprobe/"
FREESTANDING = {"stdarg.h", "stdbool.h", "stddef.h", "stdint.h"}
LAYER_OF_TOP = {"options.h": "config", "profile.h": "config", "version.h": "lib",
                "machine.h": "state", "pipeline.h": "run", "runfile.h": "run"}
# What each layer may include.
ALLOWED = {
    "lib": {"lib"},
    "acpi": {"lib", "acpi"},
    "config": {"lib", "config"},
    "x86": {"lib", "acpi", "x86", "mm", "config", "state"},
    "mm": {"lib", "acpi", "x86", "mm", "config", "state"},
    "state": {"lib", "acpi", "x86", "mm", "config", "state"},
    "report": {"lib", "acpi", "x86", "mm", "config", "state", "report"},
    "run": {"lib", "acpi", "x86", "mm", "config", "state", "report", "run"},
}
# The headers whose types struct machine holds may not reach machine.h.
BELOW_STATE = {"lib", "acpi", "x86", "mm", "config"}

passed = failed = 0


def check(name, problems):
    global passed, failed
    if problems:
        failed += 1
        print("FAIL " + name)
        for p in problems[:20]:
            print("  " + p)
        if len(problems) > 20:
            print("  ... %d more" % (len(problems) - 20))
    else:
        passed += 1
        print("PASS " + name)


def files(top, ext):
    out = []
    for d, _, names in os.walk(top):
        out += [os.path.join(d, n) for n in names if n.endswith(ext)]
    return sorted(out)


def layer(path):
    """The layer of a core source or a header, by its folder."""
    rel = path[len(INCLUDE):] if path.startswith(INCLUDE) else path[len("core/"):]
    folder, _, name = rel.rpartition("/")
    if folder:
        return folder
    return LAYER_OF_TOP.get(name.replace(".c", ".h"), "run")


def includes(path):
    quoted, system = [], []
    for line in open(path):
        m = re.match(r'\s*#\s*include\s*([<"])([^>"]+)[>"]', line)
        if m:
            (quoted if m.group(1) == '"' else system).append(m.group(2))
    return quoted, system


headers = files(INCLUDE, ".h")
sources = files("core", ".c")
graph = {}
layer_problems, freestanding_problems = [], []
for f in headers + sources:
    quoted, system = includes(f)
    graph[f] = []
    for inc in quoted:
        if not inc.startswith("memprobe/"):
            freestanding_problems.append("%s includes \"%s\", not a header of the core" % (f, inc))
            continue
        target = "include/" + inc
        if not os.path.exists(target):
            freestanding_problems.append("%s includes %s, which does not exist" % (f, inc))
            continue
        graph[f].append(target)
        lf, lt = layer(f), layer(target)
        if lt not in ALLOWED.get(lf, set()):
            layer_problems.append("%s (%s) includes %s (%s)" % (f, lf, inc, lt))
        if f.startswith(INCLUDE) and lf in BELOW_STATE and target == INCLUDE + "machine.h":
            layer_problems.append("%s includes machine.h, which holds its types" % f)
    for inc in system:
        if inc not in FREESTANDING:
            freestanding_problems.append("%s includes <%s>: the core uses no libc, UEFI or host header" % (f, inc))

# Include cycles among headers, by depth-first search.
cycles, state = [], {}


def visit(node, stack):
    state[node] = 1
    stack.append(node)
    for nxt in graph.get(node, []):
        if state.get(nxt) == 1:
            cycles.append(" -> ".join(stack[stack.index(nxt):] + [nxt]))
        elif not state.get(nxt):
            visit(nxt, stack)
    stack.pop()
    state[node] = 2


for h in headers:
    if not state.get(h):
        visit(h, [])

check("no header includes itself through others", cycles)
check("the layers point one way (lib < acpi < x86, mm < report < the run)", layer_problems)
check("the core includes no libc, UEFI or host header, nothing outside the core", freestanding_problems)

# Every [Firmware Bug] line is printed by fw_bug(), which records it where it is found.
unrecorded = []
for f in sources:
    lines = open(f).read().split("\n")
    for i, line in enumerate(lines):
        if "[Firmware Bug]" in line and '"' in line.split("[Firmware Bug]")[0] and \
                not any("fw_bug" in l for l in lines[max(0, i - 2):i + 1]) and f != "core/lib/defects.c":
            unrecorded.append("%s:%d: a [Firmware Bug] line not printed by fw_bug()" % (f, i + 1))
check("every [Firmware Bug] line is recorded where it is found (fw_bug)", unrecorded)

# The UEFI front end checks every firmware call's status (ResetSystem and RestoreTPL return none;
# the stack protector's handler has nowhere left to say anything).
unchecked = []
for f in files("efi", ".c"):
    if f.endswith("stack_protector.c"):
        continue
    for i, line in enumerate(open(f).read().split("\n")):
        if re.match(r"\s*uefi_call_wrapper\(", line) and "ResetSystem" not in line and "RestoreTPL" not in line:
            unchecked.append("%s:%d: %s" % (f, i + 1, line.strip()))
check("every firmware call's status is checked (efi/)", unchecked)

# Declarations and definitions, as gcc's -aux-info lists them.
decl_re = re.compile(r"/\* (\S+):(\d+):(\w+) \*/ (.*?)\b([A-Za-z_]\w*) \(")
declared_in, defined_in, static_fns, returns = {}, {}, set(), {}
with tempfile.TemporaryDirectory() as tmp:
    for src in sources:
        aux = os.path.join(tmp, "aux")
        subprocess.run(["gcc", "-std=gnu11", "-Iinclude", "-ffreestanding", "-fsyntax-only",
                        "-aux-info", aux, src], check=True)
        for line in open(aux):
            m = decl_re.match(line)
            if not m:
                continue
            where, flags, before, name = m.group(1), m.group(3), m.group(4), m.group(5)
            where = os.path.normpath(where)
            if "F" in flags:
                if "static" in before.split():
                    if where.endswith(".c"):
                        static_fns.add((where, name))
                else:
                    defined_in.setdefault(name, set()).add(where)
                    rtype = before.replace("extern", "").strip()
                    if rtype != "void" and where.endswith(".c"):
                        returns[(where, name)] = int(m.group(2))
            elif where.startswith(INCLUDE):
                declared_in.setdefault(name, set()).add(where)

names_problems = []
for name, where in sorted(defined_in.items()):
    for src in where:
        if not src.startswith("core/"):
            continue
        header = INCLUDE + src[len("core/"):-2] + ".h"
        if header not in declared_in.get(name, set()):
            names_problems.append("%s defines %s, which %s does not declare (%s)" %
                                  (src, name, header, ", ".join(sorted(declared_in.get(name, []))) or "nowhere"))
for name, where in sorted(declared_in.items()):
    for header in where:
        src = "core/" + header[len(INCLUDE):-2] + ".c"
        if src not in defined_in.get(name, set()) and header not in defined_in.get(name, set()):
            names_problems.append("%s declares %s, which %s does not define" % (header, name, src))
check("header and source names match: each function is declared in its source's header", names_problems)

# An exported function that returns a value says what it means: a kernel-doc "Return:" line.
undocumented = []
for (src, name), line in sorted(returns.items()):
    above = open(src).read().split("\n")[:line - 1]
    comment = []
    while above and not above[-1].strip().endswith("*/") and above[-1].strip() and len(comment) < 3:
        comment.append(above.pop())	# the first lines of a definition split over several
    if above and above[-1].strip().endswith("*/"):
        while above and not above[-1].lstrip().startswith("/*"):
            comment.append(above.pop())
        comment.append(above.pop() if above else "")
    if not any("Return:" in c for c in comment):
        undocumented.append("%s:%d: %s returns a value its comment does not describe (Return:)" % (src, line, name))
check("every exported function that returns a value has a comment with Return:", undocumented)

# Exported functions that no other file names.
others = files("core", ".c") + files("efi", ".c") + files("host", ".c") + files("tests", ".c") + \
    files("tests", ".h") + files("efi", ".h") + files("host", ".h")
text = {f: open(f, errors="replace").read() for f in others}
lonely = []
for name, where in sorted(defined_in.items()):
    for src in where:
        if not src.startswith("core/"):
            continue
        word = re.compile(r"\b%s\b" % re.escape(name))
        if not any(f != src and word.search(t) for f, t in text.items()):
            lonely.append("%s: %s is used in this file only" % (src, name))
check("a function used in one file only is static", lonely)

print("structure: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
