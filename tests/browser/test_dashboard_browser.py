"""The district dashboard in a real browser (Debian's chromium driven by selenium).

The real `kim-district` runs on loopback with reports from several desks; the test signs in,
changes quarter and municipality with the page's own choosers and reads the figures a person
sees, comparing each with the figures the desks sent. Screenshots of every view go to
$KIM_BROWSER_SHOTS (or the test's temporary folder).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kim_desk.district.population import load as load_population
from kim_desk.stats.payload import canonical_json
from kim_desk.stats.periods import Quarter, last_closed_quarter
from tests.e2e.test_district_e2e import Service, district, free_port
from tests.unit.test_district_app import desk_payload

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        CHROMIUM is None or DRIVER is None,
        reason="Debian's chromium and chromium-driver are not installed (bash tools/setup.sh --test installs them)",
    ),
]
BARRIERS = "Hürden nach Gemeinde und Antragsart: Veränderung zum Vorquartal und zum Vorjahresquartal"
RATES = "Beratungskontakte und Anträge je 1.000 Einwohner"
SUBMISSION = "Zeit von der Eröffnung bis zur Einreichung nach Antragsart"
OVERVIEW = "Eingang der Quartalsberichte"


def german(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def cell(payload: dict, table: str, key: list[str]) -> int:
    every = [*payload["tables"][table]["cells"]]
    every.append({"key": ["*"] * len(payload["tables"][table]["dims"]), "value": payload["tables"][table]["total"]})
    return next((c["value"] for c in every if c["key"] == key), 0)


class District:
    """The running service with three desks: Ahlen and Beckum report, Beckum skips a quarter, Oelde never enrols."""

    def __init__(self, service: Service) -> None:
        self.service = service
        self.latest = last_closed_quarter(dt.date.today())  # the service's own "today"
        self.previous = self.latest.previous()
        self.year_ago = Quarter(self.latest.year - 1, self.latest.number)
        self.sent: dict[tuple[str, str], dict] = {}
        self.desks: dict[str, str] = {}

    def enrol(self, municipality: str) -> tuple[str, str]:
        made = district(
            "desk",
            "add",
            f"Beratung {municipality.title()}",
            "--municipality",
            municipality,
            data_dir=self.service.data_dir,
        )
        assert made.returncode == 0, made.stderr
        code = made.stdout.strip().splitlines()[-1]  # the code is the last line printed
        answer = httpx.post(
            self.service.url + "/api/v1/enrol", json={"code": code, "first_period": str(self.year_ago)}, timeout=30
        )
        assert answer.status_code == 200, answer.text
        return answer.json()["desk_id"], answer.json()["token"]

    def send(self, municipality: str, desk_id: str, token: str, quarter: Quarter, seed: int) -> None:
        payload = desk_payload(desk_id, quarter, municipality, seed)
        answer = httpx.post(
            self.service.url + "/api/v1/reports",
            headers={"Authorization": f"Bearer {token}"},
            content=canonical_json(payload),
            timeout=60,
        )
        assert answer.status_code == 201, answer.text
        self.sent[(municipality, str(quarter))] = payload

    def fill(self) -> None:
        for municipality, seed, quarters in (
            ("ahlen", 1, (self.year_ago, self.previous, self.latest)),
            ("beckum", 2, (self.year_ago, self.latest)),  # skipped the previous quarter
        ):
            desk_id, token = self.enrol(municipality)
            self.desks[municipality] = desk_id
            for index, quarter in enumerate(quarters):
                self.send(municipality, desk_id, token, quarter, seed + 10 * index)
            if municipality == "ahlen":  # the desk asks for a newer content pack, saying it runs pack 3
                asked = httpx.get(
                    self.service.url + "/api/v1/content",
                    params={"installed": "3"},
                    headers={"Authorization": f"Bearer {token}"},
                    timeout=30,
                )
                assert asked.status_code == 204
        made = district("desk", "add", "Beratung Oelde", "--municipality", "oelde", data_dir=self.service.data_dir)
        assert made.returncode == 0, made.stderr
        made = district("user", "add", "kim.staff", data_dir=self.service.data_dir, stdin="ein langes Passwort\n")
        assert made.returncode == 0, made.stderr


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[District]:
    service = Service(tmp_path_factory.mktemp("browser") / "district", free_port())
    service.start()
    try:
        place = District(service)
        place.fill()
        yield place
    finally:
        service.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service as DriverService

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1300,900", "--lang=de-DE"):
        options.add_argument(argument)
    log = subprocess.DEVNULL
    driver = webdriver.Chrome(service=DriverService(executable_path=str(DRIVER), log_output=log), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("KIM_BROWSER_SHOTS") or tmp_path_factory.mktemp("shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def section(driver, heading: str):  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    return driver.find_element(By.XPATH, f"//section[h2[normalize-space()='{heading}']]")


def rows_of(element) -> list[list[str]]:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    return [
        [c.text.strip() for c in row.find_elements(By.XPATH, "./td|./th")]
        for row in element.find_elements(By.TAG_NAME, "tr")
    ]


def shot(driver, element, path: Path) -> None:  # type: ignore[no-untyped-def]
    driver.execute_script("arguments[0].scrollIntoView(true);", element)
    element.screenshot(str(path))
    assert path.read_bytes().startswith(b"\x89PNG")


def choose(driver, quarter: str, municipality: str) -> None:  # type: ignore[no-untyped-def]
    """Pick quarter and municipality in the page's choosers and press "Anzeigen", as a person would."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element(By.NAME, "period")).select_by_visible_text(quarter)
    Select(driver.find_element(By.NAME, "municipality")).select_by_visible_text(municipality)
    submit_and_wait(driver, driver.find_element(By.XPATH, "//form[@class='chooser']//button"))


def submit_and_wait(driver, button) -> None:  # type: ignore[no-untyped-def]
    """Click and wait until the next page has replaced this one (a click returns before it loads)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    page = driver.find_element(By.TAG_NAME, "html")
    button.click()
    WebDriverWait(driver, 60).until(expected_conditions.staleness_of(page))
    WebDriverWait(driver, 60).until(lambda d: d.execute_script("return document.readyState") == "complete")


def type_code(shown: str, place: District) -> str:
    """The application type's code (as the desks sent it) for the title the page shows."""
    from kim_desk.district.dashboard import label

    codes = {
        c["key"][1] for p in place.sent.values() for t in p["tables"].values() for c in t["cells"] if len(c["key"]) == 3
    }
    return next(code for code in codes if label("application_type", code) == shown)


def title(quarter: Quarter) -> str:
    return f"{quarter.number}. Quartal {quarter.year}"


def test_a_person_answers_the_committees_questions_in_the_browser(filled: District, browser, shots: Path) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    place = filled
    driver.get(place.service.url + "/")
    driver.find_element(By.NAME, "user").send_keys("kim.staff")
    driver.find_element(By.NAME, "password").send_keys("ein langes Passwort")
    submit_and_wait(driver, driver.find_element(By.XPATH, "//form[@action='/login']//button"))
    assert driver.find_element(By.TAG_NAME, "h1").text == "KIM-Lagebild Kreis Warendorf"
    driver.save_screenshot(str(shots / "01-start.png"))

    # Which desks have not reported? Beckum skipped the previous quarter, Oelde never enrolled.
    overview = rows_of(section(driver, OVERVIEW))
    head = overview[0]
    by_name = {row[0]: dict(zip(head, row, strict=True)) for row in overview[1:]}
    # Both owe the five quarters from a year ago on: Ahlen sent 3, Beckum 2.
    assert by_name["Beratung Ahlen"]["Fehlende Berichte"] == "2"
    assert by_name["Beratung Beckum"]["Fehlende Berichte"] == "3"
    assert by_name["Beratung Beckum"][title(place.previous)] == "fehlt"
    assert by_name["Beratung Ahlen"][title(place.previous)] == "eingegangen"
    assert by_name["Beratung Beckum"][title(place.latest)] == "eingegangen"
    assert by_name["Beratung Oelde"]["Stand der Anmeldung"] == "Anmeldecode offen, noch nicht angemeldet"
    assert by_name["Beratung Oelde"]["Letzter Kontakt"] == "noch nie"
    # Which desk runs which content pack?
    assert by_name["Beratung Ahlen"]["Inhaltspaket"] == "Version 3"
    assert by_name["Beratung Beckum"]["Inhaltspaket"] == "unbekannt"
    shot(driver, section(driver, OVERVIEW), shots / "02-overview.png")

    # Which applications take longest to submit? (all municipalities, the latest quarter)
    choose(driver, title(place.latest), "Alle Gemeinden")
    assert f"{title(place.latest)}, alle Gemeinden" in driver.page_source
    submission = rows_of(section(driver, SUBMISSION))
    bands = submission[0][1:-1]
    assert bands[0] == "bis 2 Wochen"
    from kim_desk.district.dashboard import taxonomy_bands

    checked = 0
    for row in submission[1:]:
        code = type_code(row[0], place)
        for band, shown in zip(taxonomy_bands(), row[1:-1], strict=True):
            sent = sum(
                cell(place.sent[(m, str(place.latest))], "submission_time_by_type", ["*", code, band])
                for m in ("ahlen", "beckum")
            )
            assert shown.split(" ±")[0] == german(sent), (row[0], band)
            checked += 1
    assert checked
    shot(driver, section(driver, SUBMISSION), shots / "03-submission.png")

    # Barriers per municipality and their change: Ahlen, against the previous quarter and a year before.
    choose(driver, title(place.latest), "Ahlen")
    barriers = rows_of(section(driver, BARRIERS))
    assert barriers[0][2:] == [
        title(place.latest),
        title(place.previous),
        "Veränderung zum Vorquartal",
        title(place.year_ago),
        "Veränderung zum Vorjahresquartal",
    ]
    now, before, year = (place.sent[("ahlen", str(q))] for q in (place.latest, place.previous, place.year_ago))
    assert len(barriers) > 1
    for row in barriers[1:]:
        assert row[0] == "Ahlen"
        code = type_code(row[1], place)
        a, b, c = (cell(p, "barriers_by_type", ["ahlen", code, "*"]) for p in (now, before, year))
        assert [row[2].split(" ±")[0], row[3].split(" ±")[0], row[5].split(" ±")[0]] == [
            german(a),
            german(b),
            german(c),
        ]
        assert row[4] == f"{a - b:+d}".replace("-", "−") and row[6] == f"{a - c:+d}".replace("-", "−")
    shot(driver, section(driver, BARRIERS), shots / "04-barriers-ahlen.png")

    # Contacts and cases per 1,000 inhabitants: Ahlen beside the district.
    people = load_population()
    rates = {row[0]: row for row in rows_of(section(driver, RATES).find_element(By.TAG_NAME, "table"))}
    contacts = cell(now, "contacts_by_channel", ["ahlen", "*"])
    cases = cell(now, "cases_by_type_state", ["ahlen", "*", "*"])
    ahlen = rates["Ahlen"]
    assert ahlen[1] == german(people.inhabitants["ahlen"])
    assert ahlen[2].split(" ±")[0] == german(contacts) and ahlen[4].split(" ±")[0] == german(cases)
    assert ahlen[3].split(" ±")[0] == f"{1000 * contacts / people.inhabitants['ahlen']:.1f}".replace(".", ",")
    assert ahlen[5].split(" ±")[0] == f"{1000 * cases / people.inhabitants['ahlen']:.1f}".replace(".", ",")
    assert "Kreis Warendorf insgesamt" in rates and "Beckum" not in rates
    assert "Stand 31.12.2010" in section(driver, RATES).text
    shot(driver, section(driver, RATES), shots / "05-rates-ahlen.png")

    # The comparison between municipalities: every municipality's rate in the table and the chart.
    choose(driver, title(place.previous), "Alle Gemeinden")
    assert f"{title(place.previous)}, alle Gemeinden" in driver.page_source
    rates = {row[0]: row for row in rows_of(section(driver, RATES).find_element(By.TAG_NAME, "table"))}
    assert len(rates) == 1 + 13 + 1  # head, 13 municipalities, district
    previous = place.sent[("ahlen", str(place.previous))]
    contacts = cell(previous, "contacts_by_channel", ["ahlen", "*"])
    assert rates["Ahlen"][2].split(" ±")[0] == german(contacts)
    assert rates["Beckum"][2] == "0"  # Beckum sent nothing for that quarter
    chart = section(driver, RATES).find_elements(By.TAG_NAME, "svg")[0].text
    assert "Ahlen" in chart and "je 1.000 Einwohner" in chart
    shot(driver, section(driver, RATES), shots / "06-rates-all-previous.png")
    driver.save_screenshot(str(shots / "07-page-previous.png"))
