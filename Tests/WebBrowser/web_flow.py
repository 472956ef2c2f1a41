"""The web front end to end, in a real browser: headless Chromium driven by Selenium against a real `deskready serve`
and a real OpenID Connect provider (oidc_test_provider.py), all on loopback.

    python3 Tests/WebBrowser/web_flow.py PATH_TO_DESKREADY

It seeds a database with `deskready demo`, maps alice to trust RXA, signs in through the provider, sees only RXA,
opens its report, a period error, a site, downloads the JSON, is refused RXB by URL, signs out and finds the session
gone; an unmapped person gets the page that says whom to ask; axe-core finds no serious or critical violation on the
index, a trust page and a site page. Over HTTP it checks that a tampered state, a wrong nonce, an expired token, a
wrong audience, another issuer and a bad signature are refused, and that a rotated signing key is picked up.
Exit code 0 when every check passed. With WEB_FLOW_SCREENSHOTS=DIR it saves a screenshot of each page axe checks.
"""
import http.cookiejar as cookiejar
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.webdriver.common.by import By

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from oidc_test_provider import Provider  # noqa: E402

CHECKS = []
# WCAG 2.0 A and AA and 2.1 AA: the tags the axe-core packaged in axe-selenium-python knows (it predates wcag21a and
# wcag22aa); best-practice rules are left out.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21aa"]


def check(condition, what):
    if not condition:
        raise AssertionError("FAILED: " + what)
    CHECKS.append(what)
    print("ok:", what, flush=True)


def eventually(condition, seconds=30):
    """Whether `condition()` becomes true within `seconds`: a click's navigation may still be loading."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if condition():
                return True
        except Exception:  # noqa: BLE001 - the page may be between documents
            pass
        time.sleep(0.2)
    return False


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url, cookies=None, method="GET", data=None, headers=None):
    """One request, redirects not followed: (status, headers, body)."""
    opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPCookieProcessor(cookies if cookies is not None else cookiejar.CookieJar()))
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode("utf-8", "replace")


def run(binary, *args):
    result = subprocess.run([binary, *args], capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed: {result.stderr[-2000:]}")
    return result.stdout


def axe_check(driver, page):
    shots = os.environ.get("WEB_FLOW_SCREENSHOTS")
    if shots:
        driver.set_window_size(1280, max(1000, driver.execute_script("return document.body.scrollHeight")))
        driver.save_screenshot(os.path.join(shots, page.replace(" ", "-") + ".png"))
    axe = Axe(driver)
    axe.inject()
    # axe.run through our own callback, so a rejected run reports its error instead of timing out.
    results = driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
        ".then(function (r) { done(r); }, function (e) { done({error: String(e)}); });",
        AXE_TAGS)
    check("error" not in results, f"axe-core ran on the {page} ({results.get('error', '')})")
    bad = [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]
    detail = "; ".join(f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in bad)
    check(not bad, f"axe-core: no serious or critical violations on the {page} ({detail or 'none'})")


def http_sign_in(base, provider_mode, provider, tamper_state=False):
    """An OpenID Connect sign-in over plain HTTP, step by step: (status, body) of the collector's callback."""
    provider.mode = provider_mode
    jar = cookiejar.CookieJar()
    status, headers, _ = fetch(base + "/web/sign-in/oidc", jar)
    assert status == 303, status
    assert any(c.name == "deskready_oidc" for c in jar), ("no sign-in cookie", headers.get_all("Set-Cookie"))
    status, headers, body = fetch(headers["Location"], jar)
    assert status == 302, (status, body)
    callback = headers["Location"]
    if tamper_state:
        parts = urllib.parse.urlsplit(callback)
        query = dict(urllib.parse.parse_qsl(parts.query))
        query["state"] = query["state"][:-2] + ("AA" if not query["state"].endswith("AA") else "BB")
        callback = urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))
    status, headers, body = fetch(callback, jar)
    provider.mode = "normal"
    return status, headers, body


def main():
    binary = sys.argv[1]
    work = tempfile.mkdtemp(prefix="deskready-web-")
    db = os.path.join(work, "collector.sqlite")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    provider = Provider("deskready-test", "s3cret with spaces & symbols", base + "/web/oidc/callback")
    server = None
    driver = None
    try:
        run(binary, "demo", "--db", db, "--devices", "22", "--days", "7")
        run(binary, "user", "add", "--db", db, "--email", "Alice@Northshire.nhs.uk", "--trust", "RXA", "--role", "reader")
        secret = os.path.join(work, "oidc-secret")
        with open(secret, "w") as f:
            f.write(provider.client_secret + "\n")
        config = os.path.join(work, "collector.yaml")
        with open(config, "w") as f:
            f.write(f"db: {db}\nlisten: 127.0.0.1:{port}\noidc_issuer: {provider.issuer}\noidc_client_id: deskready-test\n"
                    f"oidc_client_secret_file: {secret}\noidc_redirect_url: {base}/web/oidc/callback\n"
                    "oidc_display_name: Northshire account\nweb_admin_contact: the Northshire IT service desk\n")
        log = open(os.path.join(work, "serve.log"), "w")
        server = subprocess.Popen([binary, "serve", "--config", config], stdout=log, stderr=subprocess.STDOUT)
        for _ in range(100):
            try:
                if fetch(base + "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("the collector did not start")

        status, headers, _ = fetch(base + "/")
        check(status == 303 and headers["Location"] == "/web/sign-in", "/ without a session goes to the sign-in page")
        status, headers, body = fetch(base + "/web/sign-in")
        csp = headers.get("Content-Security-Policy", "")
        check("default-src 'none'" in csp and "script-src" not in csp and "unsafe-inline" not in csp, "a strict Content-Security-Policy on the pages")
        check(headers.get("X-Content-Type-Options") == "nosniff" and headers.get("X-Frame-Options") == "DENY", "the other security headers")

        options = webdriver.ChromeOptions()
        for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1000"]:
            options.add_argument(argument)
        downloads = os.path.join(work, "downloads")
        os.makedirs(downloads)
        options.add_experimental_option("prefs", {"download.default_directory": downloads, "download.prompt_for_download": False})
        service = webdriver.ChromeService(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
        driver = webdriver.Chrome(options=options, service=service)
        driver.set_page_load_timeout(60)
        driver.set_script_timeout(120)
        # axe-core is injected by WebDriver; the pages' CSP (checked above from the headers) allows no script at all.
        driver.execute_cdp_cmd("Page.setBypassCSP", {"enabled": True})

        # Sign in through the provider.
        driver.get(base + "/")
        check(driver.current_url == base + "/web/sign-in", "the browser is sent to the sign-in page")
        driver.find_element(By.LINK_TEXT, "Sign in with Northshire account").click()
        check(eventually(lambda: driver.current_url == base + "/" and "Your trusts" in driver.page_source), "after the provider the browser is back on /")
        first_sign_in = time.time()
        text = driver.find_element(By.TAG_NAME, "main").text
        check("Your trusts" in text and "RXA" in text, "the index lists trust RXA")
        check(all(other not in text for other in ["RXB", "RXC", "RXD", "RXE"]), "the index lists no other trust")
        check("alice@northshire.nhs.uk" in driver.find_element(By.TAG_NAME, "header").text, "the header names the signed-in person")
        cookie = driver.get_cookie("deskready_session")
        check(cookie is not None and cookie["httpOnly"] and cookie.get("sameSite") == "Lax", "the session cookie is HttpOnly and SameSite=Lax")
        axe_check(driver, "index")

        # The trust's report.
        driver.find_element(By.PARTIAL_LINK_TEXT, "(RXA)").click()
        check(eventually(lambda: driver.current_url == base + "/web/trusts/RXA" and "Trust RXA" in driver.page_source), "the trust page opens")
        check(driver.find_element(By.TAG_NAME, "h1").text == "Trust RXA", "the trust page has its heading")
        main = driver.find_element(By.TAG_NAME, "main").text
        check("Indicators" in main and ("Infrastructure level" in main or "Not enough data" in main), "the graded report is on the page")
        for label in ["First day", "Day after the last", "Compare with baseline"]:
            check(driver.find_element(By.XPATH, f"//label[text()='{label}']").get_attribute("for"), f"the period picker's '{label}' has a label")
        axe_check(driver, "trust page")

        # A period the rules refuse: a page that says so, not a 500.
        driver.get(base + "/web/trusts/RXA?from=2099-01-01")
        check("The period could not be used" in driver.page_source and "after today" in driver.page_source, "a period after today is explained on the page")
        driver.get(base + "/web/trusts/RXA?from=not-a-date")
        check("is not a date that exists" in driver.page_source, "a malformed day is explained on the page")

        # Download the JSON.
        driver.get(base + "/web/trusts/RXA")
        driver.find_element(By.LINK_TEXT, "JSON").click()
        deadline = time.time() + 30
        files = []
        while time.time() < deadline:
            files = [f for f in os.listdir(downloads) if f.endswith(".json") and not f.endswith(".crdownload")]
            if files:
                break
            time.sleep(0.2)
        check(len(files) == 1 and files[0].startswith("deskready-RXA-"), f"the JSON download arrives ({files})")
        with open(os.path.join(downloads, files[0])) as f:
            document = json.load(f)
        check([t["trust"] for t in document["trusts"]] == ["RXA"], "the downloaded JSON is trust RXA's report")

        # A site's page.
        driver.get(base + "/web/trusts/RXA")
        driver.find_element(By.LINK_TEXT, "Site RXA01").click()
        check(eventually(lambda: driver.find_element(By.TAG_NAME, "h1").text == "Site RXA01, trust RXA"), "a site's page opens from the trust page")
        axe_check(driver, "site page")

        # Another trust by URL.
        driver.get(base + "/web/trusts/RXB")
        check("Not your trust" in driver.page_source and "Indicators" not in driver.page_source, "trust RXB's page is refused by URL")
        session_cookie = driver.get_cookie("deskready_session")["value"]
        status, _, _ = fetch(base + "/web/trusts/RXB/download?format=json", headers={"Cookie": f"deskready_session={session_cookie}"})
        check(status == 403, "RXB's download is refused too")
        status, _, _ = fetch(base + "/web/sign-out", method="POST", data=b"csrf=wrong",
                            headers={"Cookie": f"deskready_session={session_cookie}", "Content-Type": "application/x-www-form-urlencoded"})
        check(status == 403, "sign-out without the page's CSRF token is refused")

        # Sign out: the session is gone on the server, not only in the browser.
        driver.get(base + "/")
        driver.find_element(By.XPATH, "//button[text()='Sign out']").click()
        check(eventually(lambda: "You have signed out" in driver.page_source), "signing out says so")
        status, headers, _ = fetch(base + "/", headers={"Cookie": f"deskready_session={session_cookie}"})
        check(status == 303 and headers["Location"] == "/web/sign-in", "the old session cookie no longer opens anything")
        driver.get(base + "/web/trusts/RXA")
        check("Please sign in" in driver.page_source, "after sign-out the trust page asks to sign in")

        # Someone with no mapping.
        provider.user = {"sub": "bob-sub", "email": "bob@elsewhere.nhs.uk", "groups": []}
        driver.get(base + "/web/sign-in")
        driver.find_element(By.LINK_TEXT, "Sign in with Northshire account").click()
        check(eventually(lambda: "You have no trusts to see yet" in driver.page_source and "the Northshire IT service desk" in driver.page_source),
              "a person without a mapping is told whom to ask")
        driver.find_element(By.XPATH, "//button[text()='Sign out']").click()
        eventually(lambda: "You have signed out" in driver.page_source)

        # A provider group mapped to a trust.
        run(binary, "user", "add", "--db", db, "--group", "eastvale-readers", "--trust", "RXB", "--role", "reader")
        provider.user = {"sub": "carol-sub", "email": "carol@eastvale.nhs.uk", "groups": ["eastvale-readers"]}
        driver.get(base + "/web/sign-in")
        driver.find_element(By.LINK_TEXT, "Sign in with Northshire account").click()
        check(eventually(lambda: "RXB" in driver.find_element(By.TAG_NAME, "main").text and "RXA" not in driver.find_element(By.TAG_NAME, "main").text),
              "a group mapping gives its members that trust")
        driver.find_element(By.XPATH, "//button[text()='Sign out']").click()
        eventually(lambda: "You have signed out" in driver.page_source)
        provider.user = {"sub": "alice-sub", "email": "alice@northshire.nhs.uk", "groups": []}

        # Refusals, over HTTP.
        for mode, words, what in [
            ("expired", "expired", "an expired ID token"),
            ("wrong_audience", "another application", "an ID token for another audience"),
            ("wrong_nonce", "nonce", "an ID token with another nonce"),
            ("wrong_issuer", "issued by", "an ID token from another issuer"),
            ("bad_signature", "signature", "an ID token with a bad signature"),
        ]:
            status, headers, body = http_sign_in(base, mode, provider)
            problem = body[body.find('class="problem"'):][:300]
            check(status == 401 and words in body and "deskready_session=" not in (headers.get("Set-Cookie") or ""), f"{what} is refused ({status}: {problem})")
        status, headers, body = http_sign_in(base, "normal", provider, tamper_state=True)
        check(status == 400 and "state" in body and "deskready_session=" not in (headers.get("Set-Cookie") or ""), "a tampered state is refused")
        status, headers, body = fetch(base + "/web/oidc/callback?code=abc&state=xyz")
        check(status == 400, "a callback with no sign-in in progress is refused")

        # Key rotation: a token signed with a new key is accepted once the collector fetches the keys again.
        fetches = provider.jwks_fetches
        time.sleep(max(0, 11 - (time.time() - first_sign_in)))
        provider.rotate()
        status, headers, body = http_sign_in(base, "normal", provider)
        check(status == 303 and "deskready_session=" in (headers.get("Set-Cookie") or ""), "after key rotation sign-in still works")
        check(provider.jwks_fetches == fetches + 1, "the collector fetched the provider's keys again for the unknown kid")

        with open(os.path.join(work, "serve.log")) as f:
            serve_log = f.read()
        for action in ["web.sign_in", "web.sign_out", "web.refused", "web.sign_in_refused", "report.read"]:
            check(f"action={action} " in serve_log, f"the audit log has {action}")
        print(f"web-flow: {len(CHECKS)} checks passed")
        return 0
    except AssertionError as error:
        print(error, flush=True)
        if driver is not None:
            print("page at failure:", driver.current_url, driver.page_source[:3000])
        log_path = os.path.join(work, "serve.log")
        if os.path.exists(log_path):
            print("collector log tail:", open(log_path).read()[-3000:])
        return 1
    finally:
        if driver is not None:
            driver.quit()
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        provider.stop()


if __name__ == "__main__":
    sys.exit(main())
