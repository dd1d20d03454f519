"""The words the renderer writes into a document, in the document's language (``lang:``), under Quarto's
names for them (https://quarto.org/docs/authoring/language.html).

English is the default; German, French, Spanish, Italian and Portuguese have translations of their
own here (the main words: table of contents, callout titles, the title block, cross-reference and
theorem names). ``language:`` overrides any word, as in Quarto: a mapping of these names, a mapping
per language (``language: {de: {...}}``), or a YAML file of either. The Lua filters receive the words
in the renderer's metadata, so each word is decided here once.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from qmdrender.types import RenderError, warn
from qmdrender.yamlfile import read_yaml_file

ENGLISH = {
    "toc-title-document": "Table of contents", "toc-title-website": "On this page",
    "related-formats-title": "Other Formats", "other-links-title": "Other Links", "draft": "Draft",
    "code-links-title": "Code Links", "launch-dev-container-title": "Launch Dev Container",
    "launch-binder-title": "Launch Binder",
    "section-title-abstract": "Abstract",
    "section-title-references": "References", "section-title-footnotes": "Footnotes", "section-title-reuse": "Reuse",
    "section-title-copyright": "Copyright", "section-title-citation": "Citation",
    "title-block-author-single": "Author", "title-block-author-plural": "Authors",
    "title-block-affiliation-single": "Affiliation", "title-block-affiliation-plural": "Affiliations",
    "title-block-published": "Published", "title-block-modified": "Modified", "title-block-doi": "Doi",
    "title-block-keywords": "Keywords",
    "callout-note-title": "Note", "callout-tip-title": "Tip", "callout-warning-title": "Warning",
    "callout-caution-title": "Caution", "callout-important-title": "Important",
    "crossref-fig-title": "Figure", "crossref-tbl-title": "Table", "crossref-lst-title": "Listing",
    "crossref-eq-prefix": "Equation", "crossref-sec-prefix": "Section", "crossref-ch-prefix": "Chapter",
    "crossref-apx-prefix": "Appendix", "crossref-lof-title": "List of Figures",
    "crossref-lot-title": "List of Tables",
    "crossref-thm-title": "Theorem", "crossref-lem-title": "Lemma", "crossref-cor-title": "Corollary",
    "crossref-prp-title": "Proposition", "crossref-cnj-title": "Conjecture", "crossref-def-title": "Definition",
    "crossref-exm-title": "Example", "crossref-exr-title": "Exercise", "crossref-sol-title": "Solution",
    "crossref-rem-title": "Remark", "environment-proof-title": "Proof", "environment-remark-title": "Remark",
    "environment-solution-title": "Solution",
    "repo-action-links-edit": "Edit this page", "repo-action-links-source": "View source",
    "repo-action-links-issue": "Report an issue", "back-to-top": "Back to top", "tools-share": "Share",
    "code-tools-menu-caption": "Code", "code-tools-show-all-code": "Show All Code",
    "code-tools-hide-all-code": "Hide All Code", "code-tools-view-source": "View Source",
    "copy-button-tooltip": "Copy to Clipboard",
    "copy-button-tooltip-success": "Copied!",
}

_TRANSLATIONS = {
    "de": {
        "code-tools-menu-caption": "Code", "code-tools-show-all-code": "Gesamten Code zeigen",
        "code-tools-hide-all-code": "Gesamten Code verbergen", "code-tools-view-source": "Quellcode anzeigen",
        "copy-button-tooltip": "In die Zwischenablage kopieren",
        "copy-button-tooltip-success": "Kopiert",
        "toc-title-document": "Inhaltsverzeichnis", "toc-title-website": "Auf dieser Seite",
        "related-formats-title": "Andere Formate", "other-links-title": "Weitere Links", "draft": "Entwurf",
        "code-links-title": "Code-Links", "launch-dev-container-title": "Dev Container starten",
        "launch-binder-title": "Binder starten",
        "section-title-abstract": "Zusammenfassung",
        "section-title-references": "Literatur", "section-title-footnotes": "Fußnoten",
        "section-title-reuse": "Wiederverwendung", "section-title-copyright": "Urheberrechte",
        "section-title-citation": "Zitat",
        "title-block-author-single": "Autor:in", "title-block-author-plural": "Autor:innen",
        "title-block-affiliation-single": "Zugehörigkeit", "title-block-affiliation-plural": "Zugehörigkeiten",
        "title-block-published": "Veröffentlichungsdatum", "title-block-modified": "Geändert",
        "callout-note-title": "Hinweis", "callout-tip-title": "Tipp", "callout-warning-title": "Warnung",
        "callout-caution-title": "Vorsicht", "callout-important-title": "Wichtig",
        "crossref-fig-title": "Abbildung", "crossref-tbl-title": "Tabelle", "crossref-lst-title": "Listing",
        "crossref-eq-prefix": "Gleichung", "crossref-sec-prefix": "Kapitel", "crossref-ch-prefix": "Kapitel",
        "crossref-apx-prefix": "Anhang", "crossref-lof-title": "Abbildungsverzeichnis",
        "crossref-lot-title": "Tabellenverzeichnis",
        "crossref-thm-title": "Theorem", "crossref-lem-title": "Lemma", "crossref-cor-title": "Korollar",
        "crossref-prp-title": "Aussage", "crossref-cnj-title": "Annahme", "crossref-def-title": "Definition",
        "crossref-exm-title": "Beispiel", "crossref-exr-title": "Übungsaufgabe",
        "environment-proof-title": "Beweis", "environment-remark-title": "Anmerkung",
        "environment-solution-title": "Lösung",
        "repo-action-links-edit": "Seite editieren", "repo-action-links-source": "Quellcode anzeigen",
        "repo-action-links-issue": "Problem melden",
    },
    "fr": {
        "code-tools-menu-caption": "Code", "code-tools-show-all-code": "Montrer tout le code",
        "code-tools-hide-all-code": "Cacher tout le code", "code-tools-view-source": "Voir les sources",
        "copy-button-tooltip": "Copier vers le presse-papier",
        "copy-button-tooltip-success": "Copié",
        "toc-title-document": "Table des matières", "toc-title-website": "Sur cette page",
        "related-formats-title": "Autres formats", "other-links-title": "Autres liens", "draft": "Brouillon",
        "code-links-title": "Liens de code", "launch-dev-container-title": "Lancer le Dev Container",
        "launch-binder-title": "Lancer le Binder",
        "section-title-abstract": "Résumé",
        "section-title-references": "Les références", "section-title-footnotes": "Notes de bas de page",
        "section-title-reuse": "Réutilisation", "section-title-copyright": "Droits d'auteur",
        "section-title-citation": "Citation",
        "title-block-author-single": "Auteur·rice", "title-block-author-plural": "Auteur·rice·s",
        "title-block-affiliation-single": "Affiliation", "title-block-affiliation-plural": "Affiliations",
        "title-block-published": "Date de publication", "title-block-modified": "Modifié",
        "callout-note-title": "Note", "callout-tip-title": "Astuce", "callout-warning-title": "Avertissement",
        "callout-caution-title": "Mise en garde", "callout-important-title": "Important",
        "crossref-fig-title": "Figure", "crossref-tbl-title": "Table", "crossref-lst-title": "Listing",
        "crossref-eq-prefix": "Équation", "crossref-sec-prefix": "Section", "crossref-ch-prefix": "Chapitre",
        "crossref-apx-prefix": "Annexe", "crossref-lof-title": "Liste des Figures",
        "crossref-lot-title": "Liste des Tables",
        "crossref-thm-title": "Théorème", "crossref-lem-title": "Lemme", "crossref-cor-title": "Corollaire",
        "crossref-prp-title": "Proposition", "crossref-cnj-title": "Conjecture", "crossref-def-title": "Définition",
        "crossref-exm-title": "Exemple", "crossref-exr-title": "Exercice",
        "environment-proof-title": "Preuve", "environment-remark-title": "Remarque",
        "environment-solution-title": "Solution",
        "repo-action-links-edit": "Modifier cette page", "repo-action-links-source": "Voir la source",
        "repo-action-links-issue": "Faire part d'un problème",
    },
    "es": {
        "code-tools-menu-caption": "Código", "code-tools-show-all-code": "Mostrar todo el código",
        "code-tools-hide-all-code": "Ocultar todo el código", "code-tools-view-source": "Ver el código fuente",
        "copy-button-tooltip": "Copiar al portapapeles",
        "copy-button-tooltip-success": "Copiado",
        "tools-share": "Compartir",
        "toc-title-document": "Tabla de contenidos", "toc-title-website": "En esta página",
        "related-formats-title": "Otros formatos", "other-links-title": "Otros Enlaces", "draft": "Borrador",
        "code-links-title": "Enlaces de código", "launch-dev-container-title": "Iniciar Dev Container",
        "launch-binder-title": "Iniciar Binder",
        "section-title-abstract": "Resumen",
        "section-title-references": "Referencias", "section-title-footnotes": "Notas",
        "section-title-reuse": "Reutilización", "section-title-copyright": "Derechos de autor",
        "section-title-citation": "Cómo citar",
        "title-block-author-single": "Autor/a", "title-block-author-plural": "Autores/as",
        "title-block-affiliation-single": "Afiliación", "title-block-affiliation-plural": "Afiliaciones",
        "title-block-published": "Fecha de publicación", "title-block-modified": "Fecha de última modificación",
        "callout-note-title": "Nota", "callout-tip-title": "Tip", "callout-warning-title": "Advertencia",
        "callout-caution-title": "Precaución", "callout-important-title": "Importante",
        "crossref-fig-title": "Figura", "crossref-tbl-title": "Tabla", "crossref-lst-title": "Listado",
        "crossref-eq-prefix": "Ecuación", "crossref-sec-prefix": "Sección", "crossref-ch-prefix": "Capítulo",
        "crossref-apx-prefix": "Apéndice", "crossref-lof-title": "Listado de Figuras",
        "crossref-lot-title": "Listado de Tablas",
        "crossref-thm-title": "Teorema", "crossref-lem-title": "Lema", "crossref-cor-title": "Corolario",
        "crossref-prp-title": "Proposición", "crossref-cnj-title": "Conjetura", "crossref-def-title": "Definición",
        "crossref-exm-title": "Ejemplo", "crossref-exr-title": "Ejercicio",
        "environment-proof-title": "Demostración", "environment-remark-title": "Observación",
        "environment-solution-title": "Solución",
        "repo-action-links-edit": "Editar esta página", "repo-action-links-source": "Ver el código",
        "repo-action-links-issue": "Informar sobre problema",
    },
    "it": {
        "code-tools-menu-caption": "Codice", "code-tools-show-all-code": "Mostra il codice",
        "code-tools-hide-all-code": "Nascondere il codice", "code-tools-view-source": "Vedere il codice",
        "copy-button-tooltip": "Copia negli appunti",
        "copy-button-tooltip-success": "Copiato!",
        "toc-title-document": "Indice", "toc-title-website": "In questa pagina",
        "related-formats-title": "Altri Formati", "other-links-title": "Altri Link", "draft": "Bozza",
        "code-links-title": "Collegamenti al Codice", "launch-dev-container-title": "Avvia Dev Container",
        "launch-binder-title": "Avvia Binder",
        "section-title-abstract": "Sommario",
        "section-title-references": "Referenze", "section-title-footnotes": "Note",
        "section-title-reuse": "Riutilizzare", "section-title-copyright": "Diritto d'autore",
        "section-title-citation": "Citazione",
        "title-block-author-single": "Autore/Autrice", "title-block-author-plural": "Autori",
        "title-block-affiliation-single": "Affiliazione", "title-block-affiliation-plural": "Affiliazioni",
        "title-block-published": "Data di Pubblicazione", "title-block-modified": "Data di modifica",
        "callout-note-title": "Nota", "callout-tip-title": "Consiglio", "callout-warning-title": "Avviso",
        "callout-caution-title": "Attenzione", "callout-important-title": "Importante",
        "crossref-fig-title": "Figura", "crossref-tbl-title": "Tabella", "crossref-lst-title": "Lista",
        "crossref-eq-prefix": "Equazione", "crossref-sec-prefix": "Sezione", "crossref-ch-prefix": "Capitolo",
        "crossref-apx-prefix": "Appendice", "crossref-lof-title": "Elenco delle Figure",
        "crossref-lot-title": "Elenco delle Tabelle",
        "crossref-thm-title": "Teorema", "crossref-lem-title": "Lemma", "crossref-cor-title": "Corollario",
        "crossref-prp-title": "Proposizione", "crossref-cnj-title": "Congettura", "crossref-def-title": "Definizione",
        "crossref-exm-title": "Esempio", "crossref-exr-title": "Esercizio",
        "environment-proof-title": "Dimostrazione", "environment-remark-title": "Osservazione",
        "environment-solution-title": "Soluzione",
        "repo-action-links-edit": "Modifica questa pagina", "repo-action-links-source": "Mostra il codice",
        "repo-action-links-issue": "Segnala un problema",
    },
    "pt": {
        "code-tools-menu-caption": "Código", "code-tools-show-all-code": "Mostrar o código",
        "code-tools-hide-all-code": "Esconder o código", "code-tools-view-source": "Ver o código fonte",
        "copy-button-tooltip": "Copiar para a área de transferência",
        "copy-button-tooltip-success": "Copiada",
        "toc-title-document": "Índice", "toc-title-website": "Nesta página",
        "related-formats-title": "Outros formatos", "other-links-title": "Outros Links", "draft": "Rascunho",
        "code-links-title": "Ligações de código", "launch-dev-container-title": "Iniciar Dev Container",
        "launch-binder-title": "Iniciar Binder",
        "section-title-abstract": "Resumo",
        "section-title-references": "Referências", "section-title-footnotes": "Notas de rodapé",
        "section-title-reuse": "Reuso", "section-title-copyright": "Direito autoral",
        "section-title-citation": "Citação",
        "title-block-author-single": "Autor", "title-block-author-plural": "Autores",
        "title-block-affiliation-single": "Afiliação", "title-block-affiliation-plural": "Afiliações",
        "title-block-published": "Data de Publicação", "title-block-modified": "Data de Modificação",
        "callout-note-title": "Nota", "callout-tip-title": "Dica", "callout-warning-title": "Aviso",
        "callout-caution-title": "Cuidado", "callout-important-title": "Importante",
        "crossref-fig-title": "Figura", "crossref-tbl-title": "Tabela", "crossref-lst-title": "Listagem",
        "crossref-eq-prefix": "Equação", "crossref-sec-prefix": "Seção", "crossref-ch-prefix": "Capítulo",
        "crossref-apx-prefix": "Apêndice", "crossref-lof-title": "Lista de Figuras",
        "crossref-lot-title": "Lista de Tabelas",
        "crossref-thm-title": "Teorema", "crossref-lem-title": "Lema", "crossref-cor-title": "Corolário",
        "crossref-prp-title": "Proposição", "crossref-cnj-title": "Conjetura", "crossref-def-title": "Definição",
        "crossref-exm-title": "Exemplo", "crossref-exr-title": "Exercício",
        "environment-proof-title": "Comprovação", "environment-remark-title": "Comentário",
        "environment-solution-title": "Solução",
        "repo-action-links-edit": "Editar essa página", "repo-action-links-source": "Ver o código fonte",
        "repo-action-links-issue": "Criar uma issue",
    },
}
# Quarto's older names for the callout titles
_ALIASES = {f"callout-{kind}-caption": f"callout-{kind}-title"
            for kind in ("note", "tip", "warning", "caution", "important")}


def _language_tag(options: Mapping[str, Any]) -> str:
    return str(options.get("lang") or "en").replace("_", "-").lower()


def _overrides(value: Any, tag: str, folder: Path | None) -> dict[str, str]:
    """``language:`` as words: a mapping, a mapping per language tag, or a YAML file of either."""
    if isinstance(value, str) and value.endswith((".yml", ".yaml")):
        path = Path(value) if Path(value).is_absolute() or folder is None else folder / value
        if not path.is_file():
            warn(f"language: {value} does not exist; the built-in words are used.")
            return {}
        value = read_yaml_file(path, "language file", RenderError)
    if not isinstance(value, Mapping):
        return {}
    words = {str(k): str(v) for k, v in value.items() if not isinstance(v, (Mapping, list)) and v is not None}
    for key in (tag.split("-")[0], tag):  # per-language sections: the language, then the exact tag
        if isinstance(value.get(key), Mapping):
            words.update({str(k): str(v) for k, v in value[key].items() if v is not None})
    return {_ALIASES.get(k, k): v for k, v in words.items()}


def document_words(options: Mapping[str, Any], folder: Path | None = None) -> dict[str, str]:
    """Every word the renderer writes, for the document's ``lang`` with its ``language:`` overrides."""
    tag = _language_tag(options)
    words = {**ENGLISH, **_TRANSLATIONS.get(tag.split("-")[0], {})}
    words.update(_overrides(options.get("language"), tag, folder))
    return words
