from collections import Counter

import numpy as np
import pandas as pd
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from missions import charts, listing, selectors
from missions.forms import MissionFilterForm
from missions.models import Country, Mission, PersonnelType
from pkoanalysis import health
from pkoanalysis.pagecache import per_viewer

FIGURE_CACHE_SECONDS = 6 * 3600


def cached(request: HttpRequest, name: str, build, *, language: bool = True):
    """What depends only on the data (and the language): cached under the data vintage, so a
    re-import or a curator's edit starts afresh; shared by every process when CACHE_URL is set.
    The vintage is read once per request."""
    if not hasattr(request, "data_vintage"):
        request.data_vintage = selectors.data_vintage()
    key = f"missions:{name}:{get_language() if language else '-'}:{request.data_vintage}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, FIGURE_CACHE_SECONDS)
    return value


def data_state(request: HttpRequest, *args, **kwargs) -> str:
    """What the missions pages show changes with the data (pkoanalysis.pagecache keeps them per
    viewer until then; a change to the model's inputs renders them again too)."""
    request.data_vintage = selectors.data_vintage()  # cached() below reads it again
    return request.data_vintage


@per_viewer(data_state)
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "missions/home.html", {
        "headlines": cached(request, "headlines", selectors.headlines, language=False),
        "figures": cached(request, "home", build_home_figures),
    })


def build_home_figures() -> dict[str, str]:
    months = selectors.data_months()
    span = selectors.full_month_range(months)
    mexico = selectors.deployments(country=selectors.MEXICO, group_by=("month", "personnel_type", "mission"))
    type_names = {k: str(v) for k, v in PersonnelType.choices}

    by_type = {
        ptype: selectors.monthly_series(mexico[mexico["personnel_type"] == ptype], months)
        for ptype in PersonnelType.values
    }
    un_months = months[months >= pd.Timestamp("2015-01-01")]
    recent = mexico[mexico["month"] >= pd.Timestamp("2015-01-01")]
    by_mission = {
        acronym or "": selectors.monthly_series(part, un_months)
        for acronym, part in recent.groupby("mission", sort=True)
    }
    mission_names = {"": _("No mission breakdown in source")}
    sexed = recent.groupby("month")[["female", "sexed_total"]].sum(min_count=1)
    share = (sexed["female"] / sexed["sexed_total"].replace(0, np.nan)).reindex(
        selectors.full_month_range(un_months))

    comparators = selectors.deployments(group_by=("month", "country"))
    comparators = comparators[comparators["country"].isin(selectors.COMPARATORS)]
    names = {c.iso3: c.name for c in Country.objects.filter(iso3__in=selectors.COMPARATORS)}
    latest = selectors.latest_month()
    map_labels = {"active": _("Active mission"), "closed": _("Closed mission"),
                  "personnel": _("Uniformed personnel, latest month"), "mexico": _("Mexican personnel"),
                  "mexico_now": _("Mexicans there in %(month)s") % {"month": f"{latest:%Y-%m}" if latest else "–"},
                  "mexico_before": _("Mexicans there before, not now"), "yes": _("yes"), "no": _("never"),
                  "acronym": _("mission"), "name": _("name"), "hq": _("headquarters")}
    return {
        "map": charts.mission_map(selectors.mission_map_rows(), map_labels).to_json(),
        "mexico_by_type": charts.stacked_monthly(
            by_type, type_names, charts.TYPE_COLOURS,
            title=_("Mexico's uniformed personnel by type, 1990-2025"), y_title=_("personnel"), **no_data_labels(),
        ).to_json(),
        "mexico_by_mission": charts.stacked_monthly(
            by_mission, mission_names, {},
            title=_("Mexico's uniformed personnel by mission, 2015-2025"), y_title=_("personnel"),
            **no_data_labels(),
        ).to_json(),
        "mexico_women": charts.share_line(
            share, title=_("Share of women among Mexico's uniformed personnel"), name=_("women"),
            finding=_("%(share)s in %(month)s"),
        ).to_json(),
        "comparators": charts.comparator_lines(
            {iso3: selectors.monthly_series(comparators[comparators["country"] == iso3], months)
             for iso3 in selectors.COMPARATORS},
            names, title=_("Mexico and comparators: uniformed personnel per month"),
            y_title=_("personnel"), linear=_("Linear"), log=_("Log scale"),
        ).to_json(),
        "span": f"{span.min():%Y-%m} - {span.max():%Y-%m}" if len(span) else "",
    }


# The mission list's columns: sort key, header, CSS class. The key ones first, so a phone shows
# them without scrolling sideways (templates/missions/mission_list.html follows this order).
COLUMNS = [("acronym", gettext_lazy("Mission"), ""), ("personnel", gettext_lazy("Personnel"), "num"),
           ("mexico", gettext_lazy("Mexicans"), "num"), ("name", gettext_lazy("Name"), ""),
           ("kind", gettext_lazy("Kind"), ""), ("host", gettext_lazy("Host"), ""),
           ("region", gettext_lazy("Region"), ""), ("start", gettext_lazy("Start"), ""),
           ("end", gettext_lazy("End"), "")]


@per_viewer(data_state)
def mission_list(request: HttpRequest) -> HttpResponse:
    month, stats = cached(request, "mission-stats", lambda: (month := selectors.latest_month(), selectors.mission_stats(month)),
                          language=False)
    every = listing.rows(selectors.all_missions(), stats)
    form = MissionFilterForm(request.GET or None, regions=sorted({r.region for r in every if r.region}))
    state = form.state()
    chosen = listing.sort([r for r in every if listing.matches(
        r, kind=state["kind"], status=state["status"], region=state["region"], mexico=state["mexico"],
        query=state["q"])], state["sort"])
    page = listing.page_of(chosen, state["page"])
    kinds = Counter(r.mission.kind for r in every)
    # Nothing of the chosen kind: say which missions of other kinds would match.
    elsewhere = [] if chosen or not state["kind"] else [r.mission for r in every if listing.matches(
        r, kind="", status=state["status"], region=state["region"], mexico=state["mexico"], query=state["q"])]
    links = listing.sort_links(state["sort"])
    return render(request, "missions/mission_list.html", {
        "form": form, "page": page, "missions": page.object_list, "count": len(chosen), "month": month,
        "kind_options": [(value, label, kinds[value] if value != "all" else len(every),
                          value == (state["kind"] or "all")) for value, label in MissionFilterForm.KINDS],
        "columns": [{"label": label, "css": css, "link": querystring(request, sort=links[key], page=None),
                     "order": {key: "ascending", f"-{key}": "descending"}.get(state["sort"], "none")}
                    for key, label, css in COLUMNS],
        "sort": state["sort"], "elsewhere": elsewhere[:10], "elsewhere_count": len(elsewhere),
        # The overview's count (selectors.with_mexicans_now, every kind), said beside a narrower list.
        "mexicans_now_total": sum(1 for r in every if r.mexico_now) if state["mexico"] == "now" else None,
        "all_kinds_link": querystring(request, kind="all", page=None),
        "pages": [(n, querystring(request, page=n)) for n in page_numbers(page)],
    })


def querystring(request: HttpRequest, **changes) -> str:
    """The current querystring with some parameters replaced (None drops one): "?a=1&b=2"."""
    params = request.GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value is not None:
            params[key] = value
    return "?" + params.urlencode() if params else "?"


def page_numbers(page) -> list[int]:
    """First, last, and the pages around the current one."""
    last = page.paginator.num_pages
    return sorted({1, last, *range(max(1, page.number - 2), min(last, page.number + 2) + 1)})


@per_viewer(data_state)
def mission_detail(request: HttpRequest, acronym: str) -> HttpResponse:
    mission = get_object_or_404(
        Mission.objects.select_related("host_country").prefetch_related("functions"), acronym=acronym
    )
    return render(request, "missions/mission_detail.html", {
        "mission": mission, "council": selectors.council_facts(mission),
        "figures": cached(request, f"mission:{mission.pk}", lambda: build_mission_figures(mission)),
        **cached(request, f"mission-mexico:{mission.pk}", lambda: mexico_presence(mission), language=False),
    })


def mexico_presence(mission: Mission) -> dict:
    mexico = selectors.deployments(country=selectors.MEXICO, mission=mission.acronym, group_by=("month",))
    present = mexico[mexico["total"] > 0]
    month = selectors.latest_month()
    return {
        "mexico_now": selectors.with_mexicans_now(month).get(mission.pk), "mexico_now_month": month,
        "mexico_months": len(present),
        "mexico_peak": int(mexico["total"].max()) if not mexico.empty else 0,
        "mexico_first": present["month"].min() if not present.empty else None,
        "mexico_last": present["month"].max() if not present.empty else None,
    }


def build_mission_figures(mission: Mission) -> dict[str, str]:
    months = selectors.mission_months(mission)
    rows = selectors.deployments(mission=mission.acronym, group_by=("month", "personnel_type"))
    type_names = {k: str(v) for k, v in PersonnelType.choices}
    figures = {}
    if not rows.empty:
        figures["by_type"] = charts.stacked_monthly(
            {p: selectors.monthly_series(rows[rows["personnel_type"] == p], months) for p in PersonnelType.values},
            type_names, charts.TYPE_COLOURS,
            title=_("Uniformed personnel by type (UN monthly reports)"), y_title=_("personnel"),
            **no_data_labels(),
        ).to_json()
        mexico = selectors.deployments(country=selectors.MEXICO, mission=mission.acronym,
                                       group_by=("month", "personnel_type"))
        if mexico["total"].sum() > 0:
            figures["mexico"] = charts.stacked_monthly(
                {p: selectors.monthly_series(mexico[mexico["personnel_type"] == p], months)
                 for p in PersonnelType.values},
                type_names, charts.TYPE_COLOURS,
                title=_("Mexico's personnel in %(mission)s") % {"mission": mission.acronym},
                y_title=_("personnel"), **no_data_labels(),
            ).to_json()
    top = selectors.top_contributors(mission)
    if not top.empty:
        names = list(top["country__name_es" if get_language().startswith("es") else "country__name_en"])
        figures["top"] = charts.top_contributors_bar(
            top, names, title=_("Top contributors, %(month)s (and Mexico)") % {"month": f"{top.attrs['month']:%Y-%m}"},
            x_title=_("uniformed personnel"), column=_("rank and country"),
            finding=_("%(first)s sends the most (%(most)s); Mexico ranks %(rank)s with %(count)s"),
        ).to_json()
    strength = selectors.mission_strength(mission)
    if not strength.empty:
        figures["strength"] = charts.strength_lines(
            strength, {"authorised": _("Authorised"), "deployed": _("Deployed"), "personnel": _("personnel")},
            title=_("Authorised against deployed uniformed strength, 1990-2015 (research data)"),
        ).to_json()
    fatalities = selectors.fatalities_by_year(mission)
    if not fatalities.empty:
        figures["fatalities"] = charts.fatalities_bars(
            fatalities, incident_names(), title=_("Fatalities by year and type of incident"),
            y_title=_("fatalities"), x_title=_("year"),
            finding=_("%(total)s in all, the most in %(year)s (%(peak)s)"),
        ).to_json()
    return figures


def no_data_labels() -> dict[str, str]:
    return {"no_data": _("no data for these months"),
            "no_data_hover": _("No figures for this month: no source reports it (not a zero)")}


def incident_names() -> dict[str, str]:
    return {"Malicious Act": _("Malicious act"), "Accident": _("Accident"), "Illness": _("Illness"),
            "Self-Inflicted": _("Self-inflicted"), "To Be Determined": _("To be determined"),
            "Unknown": _("Unknown")}


@login_not_required
def healthz(request: HttpRequest) -> HttpResponse:
    """Readiness probe: the database, the cache and the broker, each reported on its own; 503 only
    when the database does not answer (pages work without the cache and the broker)."""
    report = health.report()
    up = report["database"] == "ok"
    return JsonResponse({"status": "ok" if up and set(report.values()) <= {"ok", "local", "not used"}
                         else "degraded" if up else "down", **report}, status=200 if up else 503)
