#!/usr/bin/env python3
"""Runs OpenID Foundation conformance plans against the gateway through the suite's REST API.

Called by bin/conformance once the MongoDB stand-in, the suite and the gateway are up. Standard library only
(the suite's own scripts/run-test-plan.py needs httpx, which these machines do not have). Writes, under --out:
the plan configurations as sent, each plan's HTML and JSON exports, results.json and results.md; prints a
table (plan, module, result, the suite's failing condition); exits 1 when a module failed, timed out or was
interrupted, 2 when the suite could not be driven at all.
"""

import argparse
import json
import os
import re
import ssl
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

ALIAS = "tongxing"

# plan name -> the variant chosen for it (the ones the plans leave open)
PLANS = {
    "oidcc-basic-certification-test-plan": {"server_metadata": "discovery", "client_registration": "static_client"},
    "oidcc-config-certification-test-plan": {},
    "oidcc-formpost-basic-certification-test-plan": {"server_metadata": "discovery", "client_registration": "static_client"},
    "oidcc-rp-initiated-logout-certification-test-plan": {"client_registration": "static_client", "response_type": "code"},
    "oidcc-backchannel-rp-initiated-logout-certification-test-plan": {"client_registration": "static_client", "response_type": "code"},
}

# results that make the run fail (WARNING, REVIEW and SKIPPED are reported, explained in the README, not fatal)
FATAL = {"FAILED", "INTERRUPTED", "TIMEOUT", "ERROR", "UNKNOWN"}


class Suite:
    """The suite's REST API on loopback, trusting exactly its own certificate."""

    def __init__(self, base, cafile):
        self.base = base.rstrip("/") + "/"
        self.context = ssl.create_default_context(cafile=cafile)

    def call(self, method, path, params=None, body=None, timeout=60, raw=False):
        url = self.base + path
        if params:
            url += "?" + urllib.parse.urlencode(params)
        data = None
        headers = {"Accept": "*/*" if raw else "application/json"}
        if body is not None:
            data = body.encode("utf-8")
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        with urllib.request.urlopen(request, timeout=timeout, context=self.context) as response:
            payload = response.read()
            if raw:
                return response.headers, payload
            return json.loads(payload) if payload else None


def gateway_browser(gateway, user):
    """The browser automation of the gateway's pages, through their stable hooks (README, page hooks).

    One authorization in a fresh browser: login page -> test-user login -> privacy policy (the first time a
    person signs in) -> the client's consent (the first time per client, or prompt=consent) -> the separate
    confirmation of sensitive items -> the suite's callback. Every step but the last is optional, so the
    same list serves a browser that is already signed in or has consented before.
    """
    def consent_item(item):
        return ["click", "css", "input[data-consent-item='%s']" % item, "optional"]

    return [
        {
            "match": gateway + "/oauth2/authorize*",
            "tasks": [
                {"task": "Login page: choose the test-user method", "optional": True,
                 "match": gateway + "/login",
                 "commands": [["click", "css", "a[data-provider='dev']"]]},
                {"task": "Test-user login", "optional": True, "match": gateway + "/login/dev*",
                 "commands": [["text", "css", "form[data-testid='dev-login'] input[name='username']", user],
                              ["click", "css", "form[data-testid='dev-login'] button[data-action='sign-in']"]]},
                {"task": "Privacy policy (first sign-in)", "optional": True, "match": gateway + "/privacy/consent*",
                 "commands": [["click", "css", "input[data-consent-item='policy']"],
                              ["click", "css", "form[data-testid='consent'] button[data-action='accept']"]]},
                {"task": "Client consent", "optional": True, "match": gateway + "/oauth2/consent?*",
                 "commands": [consent_item("third-party-sharing"), consent_item("profile"), consent_item("phone"),
                              consent_item("offline_access"),
                              ["click", "css", "form[data-testid='consent'] button[data-action='accept']"]]},
                {"task": "Separate confirmation of sensitive items", "optional": True,
                 "match": gateway + "/oauth2/consent/confirm*",
                 "commands": [["click", "css", "[data-testid='consent-confirm'] button[data-action='confirm']"]]},
                {"task": "Verify complete", "match": "https://127.0.0.1:*/test/a/%s/callback*" % ALIAS,
                 "commands": [["wait", "id", "submission_complete", 10]]},
            ],
        },
        {
            "match": gateway + "/connect/logout*",
            "tasks": [
                {"task": "Verify complete", "match": "https://127.0.0.1:*/test/a/%s/post_logout_redirect*" % ALIAS},
            ],
        },
    ]


def error_page(gateway, path, placeholder_text):
    """A module that expects the gateway to show a page (an error, or a sign-out page) instead of redirecting:
    wait for the page's hook and give the suite its screenshot (the suite then asks for a human REVIEW)."""
    return {
        "match": gateway + path,
        "tasks": [{"task": "Expect the gateway's page", "match": gateway + path,
                   "commands": [["wait", "css", placeholder_text[0], 10, placeholder_text[1], "update-image-placeholder"]]}],
    }


def configuration(gateway, client, client2, user):
    browser = gateway_browser(gateway, user)
    login_and_consent = browser[0]
    error_message = ("[data-testid='error-message']", ".+")
    overrides = {}
    # the suite accepts an error page (with its screenshot) instead of a redirect with an error
    for module in ("oidcc-ensure-registered-redirect-uri", "oidcc-response-type-missing",
                   "oidcc-ensure-request-object-with-redirect-uri"):
        overrides[module] = {"browser": [error_page(gateway, "/oauth2/authorize*", error_message)]}
    for module in ("oidcc-prompt-login", "oidcc-max-age-1"):
        # the second authorization must show the login page again: its screenshot is the evidence
        second = json.loads(json.dumps(login_and_consent))
        second["tasks"][0]["commands"].insert(0, ["wait", "css", "a[data-provider='dev']", 10, ".+",
                                                  "update-image-placeholder-optional"])
        overrides[module] = {"browser": [second, browser[1]]}
    # an invalid logout request: the gateway's error page, which the suite wants a screenshot of
    for module in ("oidcc-rp-initiated-logout-bad-id-token-hint", "oidcc-rp-initiated-logout-bad-post-logout-redirect-uri",
                   "oidcc-rp-initiated-logout-modified-id-token-hint",
                   "oidcc-rp-initiated-logout-query-added-to-post-logout-redirect-uri"):
        overrides[module] = {"browser": [login_and_consent, error_page(gateway, "/connect/logout*", error_message)]}
    # no id_token_hint: the gateway asks the person first (RP-Initiated Logout §2); the question is the evidence
    overrides["oidcc-rp-initiated-logout-no-id-token-hint"] = {"browser": [login_and_consent, {
        "match": gateway + "/connect/logout*",
        "tasks": [{"task": "Expect the sign-out question", "match": gateway + "/logout/confirm*",
                   "commands": [["wait", "css", "[data-testid='sign-out-confirm']", 10, ".+", "update-image-placeholder"]]}]}]}
    # no id_token_hint and nothing else: the person confirms, then sees that they are signed out
    for module in ("oidcc-rp-initiated-logout-no-params", "oidcc-rp-initiated-logout-only-state"):
        overrides[module] = {"browser": [login_and_consent, {
            "match": gateway + "/connect/logout*",
            "tasks": [{"task": "Confirm signing out", "match": gateway + "/logout/confirm*",
                       "commands": [["click", "css", "[data-testid='sign-out-confirm'] button[data-action='logout']"]]},
                      {"task": "Expect the signed-out page", "match": gateway + "/login?signed-out*",
                       "commands": [["wait", "css", "[data-testid='signed-out']", 10, ".+", "update-image-placeholder"]]}]}]}
    # a valid id_token_hint without post_logout_redirect_uri: signed out at once, told so
    overrides["oidcc-rp-initiated-logout-no-post-logout-redirect-uri"] = {"browser": [login_and_consent, {
        "match": gateway + "/connect/logout*",
        "tasks": [{"task": "Expect the signed-out page", "match": gateway + "/login?signed-out*",
                   "commands": [["wait", "css", "[data-testid='signed-out']", 10, ".+", "update-image-placeholder"]]}]}]}
    return {
        "alias": ALIAS,
        "description": "Tongxing gateway, bin/conformance",
        "server": {"discoveryUrl": gateway + "/.well-known/openid-configuration"},
        "client": {"client_id": client[0], "client_secret": client[1]},
        "client2": {"client_id": client2[0], "client_secret": client2[1]},
        # the client for the client_secret_post modules (the gateway's clients accept both methods)
        "client_secret_post": {"client_id": client[0], "client_secret": client[1]},
        "browser": browser,
        "override": overrides,
    }


def failing_conditions(log, result):
    """What the suite says went wrong (or why it skipped, or what it wants reviewed), briefly."""
    wanted = {"FAILED": ("FAILURE",), "WARNING": ("WARNING",), "REVIEW": ("REVIEW",),
              "INTERRUPTED": ("FAILURE",), "SKIPPED": ("SKIPPED",)}.get(result, ())
    found = []
    for entry in log:
        if entry.get("result") in wanted:
            found.append("%s: %s" % (entry.get("src", "?"), entry.get("msg", "")))
    if result == "SKIPPED" and not found:
        found = ["%s: %s" % (e.get("src", "?"), e.get("msg", "")) for e in log if "skip" in str(e.get("msg", "")).lower()]
    if result == "REVIEW" and not found:
        found = ["%s: %s" % (e.get("src", "?"), e.get("msg", "")) for e in log
                 if "screenshot" in str(e.get("msg", "")).lower() or "placeholder" in str(e.get("msg", "")).lower()][:1]
    return found


def run_module(suite, plan_id, entry, timeout):
    module = entry["testModule"]
    params = {"test": module, "plan": plan_id}
    if entry.get("variant"):
        params["variant"] = json.dumps(entry["variant"])
    created = suite.call("POST", "api/runner", params=params)
    test_id = created["id"]
    deadline = time.time() + timeout
    info = {}
    while time.time() < deadline:
        info = suite.call("GET", "api/info/" + test_id)
        if info.get("status") in ("FINISHED", "INTERRUPTED"):
            break
        time.sleep(1)
    status = info.get("status")
    result = info.get("result") or "UNKNOWN"
    if status == "INTERRUPTED":
        result = "INTERRUPTED" if result in ("UNKNOWN", None) else result
    elif status != "FINISHED":
        result = "TIMEOUT"
        try:
            suite.call("DELETE", "api/runner/" + test_id)
        except Exception:
            pass
    log = suite.call("GET", "api/log/" + test_id)
    return test_id, status, result, log


def export(suite, plan_id, kind, out_dir):
    headers, payload = suite.call("GET", "api/plan/%s/%s" % (kind, plan_id), timeout=300, raw=True)
    match = re.search(r'filename="([^"]+)"', headers.get("Content-Disposition", ""))
    # both exports are named alike by the suite: the kind tells them apart
    name = "%s-%s" % ("html" if kind == "exporthtml" else "json", match.group(1) if match else plan_id + ".zip")
    with open(os.path.join(out_dir, name), "wb") as f:
        f.write(payload)
    return name


def shorten(text, width):
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def markdown(rows, counts, suite_commit):
    """The run as the README shows it: one row per module, one column per plan that has it."""
    plans = list(dict.fromkeys(row["plan"] for row in rows))
    short = {plan: plan.replace("-certification-test-plan", "").replace("oidcc-", "") for plan in plans}
    modules = list(dict.fromkeys(row["module"] for row in rows))
    result = {(row["plan"], row["module"]): row["result"] for row in rows}
    lines = ["Run of %s, suite commit %s." % (time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), suite_commit), "",
             "| Module | " + " | ".join(short[p] for p in plans) + " |", "|---" * (len(plans) + 1) + "|"]
    for module in modules:
        lines.append("| `%s` | " % module + " | ".join(result.get((p, module), "") for p in plans) + " |")
    lines.append("")
    for plan in plans:
        lines.append("- `%s`: %s" % (plan, ", ".join("%d %s" % (n, r) for r, n in sorted(counts[plan].items()))))
    lines.append("")
    lines.append("The suite's conditions behind each result other than PASSED:")
    lines.append("")
    for row in rows:
        if row["result"] != "PASSED":
            lines.append("- %s / `%s` %s: %s" % (short[row["plan"]], row["module"], row["result"],
                                                shorten("; ".join(row["conditions"]), 300)))
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--suite", required=True)
    parser.add_argument("--suite-ca", required=True)
    parser.add_argument("--gateway", required=True)
    parser.add_argument("--user", default="conformance")
    parser.add_argument("--out", required=True)
    parser.add_argument("--module-timeout", type=int, default=240)
    parser.add_argument("--suite-commit", default="?")
    parser.add_argument("plans", nargs="*")
    args = parser.parse_args()

    plans = args.plans or list(PLANS)
    unknown = [p for p in plans if p not in PLANS]
    if unknown:
        print("Unknown plan(s): %s; known: %s" % (", ".join(unknown), ", ".join(PLANS)), file=sys.stderr)
        return 2
    os.makedirs(args.out, exist_ok=True)
    suite = Suite(args.suite, args.suite_ca)
    # id:secret of the gateway's two clients for the suite, from the environment (not the process list)
    def client(name):
        return os.environ[name].split(":", 1)

    configs = {}
    for with_backchannel in (False, True):
        prefix = "CONFORMANCE_BCL_" if with_backchannel else "CONFORMANCE_"
        config_json = json.dumps(configuration(args.gateway, client(prefix + "CLIENT"), client(prefix + "CLIENT2"),
                                               args.user), indent=2)
        name = "plan-configuration%s.json" % ("-backchannel" if with_backchannel else "")
        with open(os.path.join(args.out, name), "w") as f:
            f.write(config_json)
        configs[with_backchannel] = config_json

    rows = []
    for plan in plans:
        variant = PLANS[plan]
        params = {"planName": plan}
        if variant:
            params["variant"] = json.dumps(variant)
        try:
            # only the back-channel plan's clients have a back-channel logout URI: the other plans' modules treat a
            # logout token as an unexpected request
            created = suite.call("POST", "api/plan", params=params, body=configs["backchannel" in plan])
        except urllib.error.HTTPError as e:
            print("Could not create %s: HTTP %s %s" % (plan, e.code, e.read()[:500]), file=sys.stderr)
            rows.append({"plan": plan, "module": "(plan)", "result": "ERROR", "conditions": ["plan not created"]})
            continue
        plan_id = created["id"]
        print("plan %s: %s (%d modules)" % (plan, plan_id, len(created["modules"])), flush=True)
        for entry in created["modules"]:
            started = time.time()
            try:
                test_id, status, result, log = run_module(suite, plan_id, entry, args.module_timeout)
                conditions = failing_conditions(log, result)
            except Exception as e:  # the suite failed us: record it, go on with the next module
                test_id, result, conditions = "-", "ERROR", ["runner: %s" % e]
            label = entry["testModule"]  # unique within each of these plans; the variants are in results.json
            rows.append({"plan": plan, "plan_id": plan_id, "module": label, "variant": entry.get("variant"),
                         "test_id": test_id, "result": result,
                         "conditions": conditions, "seconds": round(time.time() - started, 1)})
            print("  %-70s %-9s %5.1fs %s" % (label, result, time.time() - started,
                                              shorten("; ".join(conditions), 160)), flush=True)
        for kind in ("exporthtml", "export"):
            try:
                print("  exported %s" % export(suite, plan_id, kind, args.out), flush=True)
            except Exception as e:
                print("  export %s failed: %s" % (kind, e), file=sys.stderr)

    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump({"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "suite_commit": args.suite_commit,
                   "rows": rows}, f, indent=2)
    counts = {}
    for row in rows:
        counts.setdefault(row["plan"], {}).setdefault(row["result"], 0)
        counts[row["plan"]][row["result"]] += 1
    with open(os.path.join(args.out, "results.md"), "w") as f:
        f.write(markdown(rows, counts, args.suite_commit))

    print()
    print("%-42s %-78s %-11s %s" % ("PLAN", "MODULE", "RESULT", "FAILING CONDITION"))
    for row in rows:
        print("%-42s %-78s %-11s %s" % (row["plan"].replace("-certification-test-plan", ""), row["module"],
                                         row["result"], shorten("; ".join(row["conditions"]), 200)))
    print()
    for plan, c in counts.items():
        print("%s: %s" % (plan, ", ".join("%d %s" % (n, r) for r, n in sorted(c.items()))))
    return 1 if any(row["result"] in FATAL for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
