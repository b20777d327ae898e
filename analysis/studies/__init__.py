"""Notebook-facing preparation: one module per study, frames in, frames out, nothing loaded.

* :mod:`~analysis.studies.select` - periods, missions, usable rows (shared);
* :mod:`~analysis.studies.overview` - data overview (notebook 01);
* :mod:`~analysis.studies.casualties` - robust mandates and casualties, casualty trends (02, 03);
* :mod:`~analysis.studies.coups` - partnership and coups, predicted coup risk (04, 06);
* :mod:`~analysis.studies.claims` - the essay's claims, one evaluation per claim (05);
* :mod:`~analysis.studies.sahel` - the Sahel case study (06);
* :mod:`~analysis.studies.mandate_texts` - the war-on-terror vocabulary in mandates, its evidence and
  the validation of the text codings (08).
"""
