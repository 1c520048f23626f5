"""Pages of the performance cycle, one module per area (STYLE.md: a module past ~600 lines becomes a
package): ``plans`` my plans and a plan with its workflow steps, ``documents`` its files and PDFs, ``team``
360° input and the supervisor's team, ``rounds`` a unit's rating round, ``agency`` the agency dashboard and
its settings. ``performance.urls`` imports each view from its module."""
