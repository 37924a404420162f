import numpy as np
import pandas as pd
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from missions import charts, selectors
from missions.forms import MissionFilterForm
from missions.models import Country, Mission, PersonnelType

FIGURE_CACHE_SECONDS = 6 * 3600


def cached_figures(name: str, build) -> dict:
    """Figures depend only on the data and the language: cache them under the data vintage."""
    key = f"figures:{name}:{get_language()}:{selectors.data_vintage()}"
    figures = cache.get(key)
    if figures is None:
        figures = build()
        cache.set(key, figures, FIGURE_CACHE_SECONDS)
    return figures


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "missions/home.html", {
        "headlines": selectors.headlines(),
        "figures": cached_figures("home", build_home_figures),
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
                  "mexico_before": _("Mexicans there before, not now"), "yes": _("yes"), "no": _("never")}
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
        ).to_json(),
        "comparators": charts.comparator_lines(
            {iso3: selectors.monthly_series(comparators[comparators["country"] == iso3], months)
             for iso3 in selectors.COMPARATORS},
            names, title=_("Mexico and comparators: uniformed personnel per month"),
            y_title=_("personnel"), linear=_("Linear"), log=_("Log scale"),
        ).to_json(),
        "span": f"{span.min():%Y-%m} - {span.max():%Y-%m}" if len(span) else "",
    }


def mission_list(request: HttpRequest) -> HttpResponse:
    form = MissionFilterForm(request.GET or None, regions=selectors.regions())
    filters = form.cleaned_data if form.is_valid() else {}
    status = filters.get("status", "")
    missions, month = selectors.mission_list(
        active={"active": True, "closed": False}.get(status),
        region=filters.get("region", ""), with_mexico=filters.get("mexico", False),
        query=filters.get("q", ""),
    )
    return render(request, "missions/mission_list.html", {
        "form": form, "missions": missions, "month": month,
    })


def mission_detail(request: HttpRequest, acronym: str) -> HttpResponse:
    mission = get_object_or_404(
        Mission.objects.select_related("host_country").prefetch_related("functions"), acronym=acronym
    )
    figures = cached_figures(f"mission:{mission.pk}", lambda: build_mission_figures(mission))
    mexico = selectors.deployments(country=selectors.MEXICO, mission=mission.acronym,
                                   group_by=("month",))
    return render(request, "missions/mission_detail.html", {
        "mission": mission, "figures": figures,
        "mexico_months": len(mexico[mexico["total"] > 0]),
        "mexico_peak": int(mexico["total"].max()) if not mexico.empty else 0,
        "mexico_first": mexico.loc[mexico["total"] > 0, "month"].min() if not mexico.empty else None,
        "mexico_last": mexico.loc[mexico["total"] > 0, "month"].max() if not mexico.empty else None,
    })


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
            x_title=_("uniformed personnel"),
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
            y_title=_("fatalities"),
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
    """Liveness probe (and the trivial view the page benchmark compares against)."""
    return HttpResponse("ok", content_type="text/plain")
