// On paper: every note open, and the date and address of the printed page at its top.
(() => {
  "use strict";
  let closed = [];
  window.addEventListener("beforeprint", () => {
    closed = Array.from(document.querySelectorAll("article details:not([open])"));
    for (const details of closed) details.open = true;
    const printed = document.querySelector("[data-printed]");
    if (printed) {
      const day = new Date().toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
      printed.textContent = `Printed on ${day} from ${location.href}`;
    }
  });
  window.addEventListener("afterprint", () => {
    for (const details of closed) details.open = false;
    closed = [];
  });
})();

// Search of the extracts, in a dialog opened from the header or with "/" or "s".
// The index is Pagefind's bundle in pagefind/ at the site root, loaded the first
// time the dialog opens, a small part at a time. It holds the bottom lines and
// the newest extracts; older extracts are in parts listed in pagefind/parts.json,
// added when the reader asks for them, chooses a year they hold, or finds
// nothing in the newest. Every value shown comes from the index and is set as
// text, never as markup.
(() => {
  "use strict";
  const dialog = document.getElementById("briefings-search");
  const opener = document.querySelector(".briefings-search-open");
  if (!dialog || !opener) return;
  const input = dialog.querySelector(".briefings-search__input");
  const list = dialog.querySelector(".briefings-search__results");
  const status = dialog.querySelector(".briefings-search__status");
  const filtersBox = dialog.querySelector(".briefings-search__filters");
  const more = dialog.querySelector(".briefings-search__more");
  const older = dialog.querySelector(".briefings-search__older");
  const root = new URL(dialog.dataset.root || "./", document.baseURI);
  const PAGE = 10;
  const OPTIONS = { baseUrl: "/", excerptLength: 30 };
  let loading = null;
  let parts = [];
  const added = new Set([0]);
  // A part failed to load: search what is loaded, and add nothing more.
  let broken = false;
  let filtersShown = null;
  let results = [];
  let shown = 0;
  let showing = null;
  let addingOlder = false;
  let generation = 0;

  function engine() {
    if (!loading) {
      loading = (async () => {
        const [pagefind, listed] = await Promise.all([
          import(new URL("pagefind/pagefind.js", root).href),
          // Never a stale list after the site is published again: it names the parts' folders.
          fetch(new URL("pagefind/parts.json", root), { cache: "no-cache" })
            .then((r) => (r.ok ? r.json() : {})).catch(() => ({})),
        ]);
        await pagefind.options(OPTIONS);
        pagefind.init();
        parts = readParts(listed);
        return pagefind;
      })();
      loading.catch(() => { loading = null; });
    }
    return loading;
  }

  // The parts of the index, as parts.json lists them; without the list, the first only.
  function readParts(listed) {
    const entries = listed && Array.isArray(listed.parts) ? listed.parts : [];
    return entries.filter((part) => part && typeof part.path === "string").map((part) => ({
      path: part.path,
      extracts: Number.isFinite(part.extracts) ? part.extracts : 0,
      oldest: typeof part.oldest === "string" ? part.oldest : "",
      years: Array.isArray(part.years) ? part.years.map(String) : [],
      hidden: typeof part.hidden === "string" ? part.hidden : "",
    }));
  }

  // The results a reader sees: each part's record of every word is never one.
  function visible(found) {
    const hidden = new Set(parts.map((part) => part.hidden));
    return found.results.filter((result) => !hidden.has(result.id));
  }

  // The first part of the index not yet searched, or -1.
  function nextPart() {
    return broken ? -1 : parts.findIndex((_, number) => !added.has(number));
  }

  // Whether every extract the search could find is in the parts added: all
  // of them, or all that hold the chosen year (or no more can be added).
  function complete(year) {
    return broken || parts.every((part, number) => added.has(number) || (year && !part.years.includes(year)));
  }

  async function addPart(pagefind, number) {
    if (number < 0 || added.has(number) || broken) return;
    added.add(number);
    try {
      await pagefind.mergeIndex(new URL(`pagefind/${parts[number].path}`, root).href, OPTIONS);
    } catch (error) {
      // Pagefind keeps a part that failed to load, and fails every search after it.
      broken = true;
      throw error;
    }
  }

  function chosenYear() {
    const select = filtersBox.querySelector("#briefings-filter-year");
    const option = select && select.selectedOptions[0];
    return option && option.value ? option.dataset.value : "";
  }

  // What the results were searched in, when not every extract.
  function searchedIn(year) {
    if (complete(year)) return "";
    const searched = parts.reduce((sum, part, number) => sum + (added.has(number) ? part.extracts : 0), 0);
    const total = parts.reduce((sum, part) => sum + part.extracts, 0);
    const of = `${searched.toLocaleString("en")} of ${total.toLocaleString("en")} extracts`;
    const first = nextPart();
    // The newest, back to a date, when the parts searched come one after another from the first.
    if (!parts.every((_, number) => added.has(number) === number < first)) return ` in ${of}`;
    const oldest = first > 0 ? parts[first - 1].oldest : "";
    return ` in the newest ${of}${oldest ? `, back to ${oldest}` : ""}`;
  }

  async function open() {
    if (!dialog.open) dialog.showModal();
    input.focus();
    input.select();
    try {
      await engine();
      if (!filtersShown) filtersShown = showFilters().catch((error) => { filtersShown = null; throw error; });
      await filtersShown;
    } catch (error) {
      status.textContent = "Search is not available: the search index did not load.";
    }
  }

  // The filters and their values come from the data: search/filters.json
  // names them, and each one's values are loaded when the reader first opens
  // it. A value is chosen by searching for the word that stands for it.
  async function showFilters() {
    const response = await fetch(new URL("search/filters.json", root));
    const { filters } = await response.json();
    for (const filter of filters) {
      const id = `briefings-filter-${filter.name}`;
      const wrap = document.createElement("div");
      wrap.className = "briefings-search__filter";
      const caption = document.createElement("label");
      caption.htmlFor = id;
      caption.textContent = filter.label;
      const select = document.createElement("select");
      select.id = id;
      select.add(new Option(`Any ${filter.label.toLowerCase()}`, ""));
      let loaded = null;
      const load = () => loaded || (loaded = fillFilter(select, filter.name));
      select.addEventListener("focus", load);
      select.addEventListener("pointerdown", load);
      select.addEventListener("change", search);
      wrap.append(caption, select);
      filtersBox.append(wrap);
    }
  }

  async function fillFilter(select, name) {
    const response = await fetch(new URL(`search/filters/${name}.json`, root));
    const { values } = await response.json();
    for (const choice of values) {
      const option = new Option(`${choice.value} (${Number(choice.count).toLocaleString("en")})`, choice.token);
      option.dataset.value = choice.value;
      select.add(option);
    }
  }

  function chosenFilters() {
    return Array.from(filtersBox.querySelectorAll("select"), (select) => select.value).filter(Boolean);
  }

  async function search() {
    const mine = ++generation;
    try {
      await searchNow(mine);
    } catch (error) {
      if (mine !== generation) return;
      list.replaceChildren();
      results = [];
      status.textContent = broken ? "Older extracts could not be loaded; reload the page to search them."
        : "Search is not available: the search index did not load.";
      keepFocus(older, () => { more.hidden = older.hidden = true; });
    }
  }

  async function searchNow(mine) {
    const query = input.value.trim();
    const filters = chosenFilters();
    if (!query && !filters.length) {
      list.replaceChildren();
      more.hidden = older.hidden = true;
      status.textContent = "";
      return;
    }
    const words = [query, ...filters].filter(Boolean).join(" ");
    const year = chosenYear();
    const pagefind = await engine();
    if (year && !complete(year)) status.textContent = `Searching the extracts of ${year}…`;
    for (const [number, part] of parts.entries()) {
      // A newer search (another word typed, another filter) takes over.
      if (mine !== generation) return;
      if (year && part.years.includes(year)) await addPart(pagefind, number);
    }
    if (mine !== generation) return;
    let found = await pagefind.debouncedSearch(words, {}, 150);
    // Nothing among the newest extracts: search further back, a part at a time.
    while (found !== null && mine === generation && !visible(found).length && !complete(year)) {
      status.textContent = "Searching older extracts…";
      await addPart(pagefind, nextPart());
      found = await pagefind.search(words);
    }
    if (found === null || mine !== generation) return;
    results = visible(found);
    shown = 0;
    list.replaceChildren();
    await showMore();
    if (mine !== generation) return;
    const count = results.length;
    const counted = count ? `${count.toLocaleString("en")} result${count === 1 ? "" : "s"}` : "No extract matches";
    status.textContent = `${counted}${searchedIn(year)}.`;
    keepFocus(older, () => { older.hidden = complete(year); });
  }

  async function searchOlder() {
    if (addingOlder) return;
    addingOlder = true;
    older.setAttribute("aria-disabled", "true");
    status.textContent = "Searching older extracts…";
    try {
      const pagefind = await engine();
      await addPart(pagefind, nextPart());
    } catch (error) {
      // search() says what failed.
    } finally {
      addingOlder = false;
      older.removeAttribute("aria-disabled");
    }
    await search();
  }

  // Hides a button without losing the keyboard's place: focus goes back to the query.
  function keepFocus(button, hide) {
    const had = document.activeElement === button;
    hide();
    if (had && button.hidden) input.focus();
  }

  function showMoreOnce() {
    if (!showing) showing = showMore().finally(() => { showing = null; });
    return showing;
  }

  // Each result is shown as soon as it and those before it have loaded.
  async function showMore() {
    const mine = generation;
    const pending = results.slice(shown, shown + PAGE).map((r) => r.data());
    shown += pending.length;
    let first = null;
    for (const data of pending) {
      const loaded = await data;
      if (mine !== generation) return;
      const added = item(loaded);
      first = first || added;
      list.append(added);
    }
    const hadFocus = document.activeElement === more;
    more.hidden = shown >= results.length;
    // The keyboard goes on to the first of the results just shown.
    if (hadFocus && first) first.querySelector("a")?.focus();
  }

  function item(data) {
    const meta = data.meta || {};
    const li = document.createElement("li");
    li.className = "briefings-search__result";
    const heading = document.createElement("p");
    heading.className = "briefings-search__title-line";
    const briefings = meta.briefings ? JSON.parse(meta.briefings) : [[meta.title, String(data.url || "")]];
    briefings.forEach(([title, url], index) => {
      const link = document.createElement("a");
      const target = new URL(String(url || "").replace(/^\/+/, ""), root);
      // Only a page of this site: never a javascript: or another site's address.
      if (target.origin !== root.origin) return;
      link.href = target.href;
      link.textContent = meta.briefings ? title : (title || link.href);
      if (index) heading.append(", ");
      heading.append(link);
    });
    if (meta.briefings) heading.append(` · ${meta.title.split(" · ").pop()}`);
    const kind = document.createElement("p");
    kind.className = "briefings-search__kind";
    kind.textContent = [meta.kind, meta.source].filter(Boolean).join(" · ");
    const text = document.createElement("p");
    text.className = "briefings-search__text";
    if (meta.lang && meta.lang !== "en") text.lang = meta.lang;
    marked(text, meta.text || "", input.value);
    li.append(heading, kind, text);
    if (meta.original) {
      const original = document.createElement("p");
      original.className = "briefings-search__original";
      if (meta.original_lang) original.lang = meta.original_lang;
      marked(original, meta.original, input.value);
      li.append(original);
    }
    return li;
  }

  // The text with each word of the query marked, ignoring case and accents.
  function marked(element, text, query) {
    const fold = (s) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
    const terms = query.split(/\s+/).map(fold).filter((t) => t.length > 0);
    // Folded a UTF-16 unit at a time, so that its positions are the text's.
    const folded = text.split("").map((c) => fold(c)[0] ?? c).join("");
    let at = 0;
    while (terms.length && at < text.length) {
      let next = -1;
      let length = 0;
      for (const term of terms) {
        const found = folded.indexOf(term, at);
        if (found >= 0 && (next < 0 || found < next)) { next = found; length = term.length; }
      }
      if (next < 0) break;
      element.append(text.slice(at, next));
      const mark = document.createElement("mark");
      mark.textContent = text.slice(next, next + length);
      element.append(mark);
      at = next + length;
    }
    element.append(text.slice(at));
  }

  function typing(target) {
    return target instanceof HTMLElement &&
      (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
  }

  opener.addEventListener("click", open);
  // A pointer over the search box, or the keyboard on it, starts loading the index.
  opener.addEventListener("pointerenter", () => engine().catch(() => {}), { once: true });
  opener.addEventListener("focus", () => engine().catch(() => {}), { once: true });
  dialog.querySelector(".briefings-search__close").addEventListener("click", () => dialog.close());
  dialog.addEventListener("click", (event) => { if (event.target === dialog) dialog.close(); });
  dialog.addEventListener("close", () => opener.focus());
  input.addEventListener("input", search);
  more.addEventListener("click", showMoreOnce);
  older.addEventListener("click", searchOlder);
  // A reader who types with one key at a time, or by voice, can turn the one-key shortcuts off.
  const keys = dialog.querySelector("#briefings-search-keys");
  const KEYS_OFF = "briefings-search-keys-off";
  const stored = (read) => { try { return read(); } catch (error) { return null; } };
  keys.checked = stored(() => localStorage.getItem(KEYS_OFF)) !== "1";
  keys.addEventListener("change", () => stored(() => (keys.checked ? localStorage.removeItem(KEYS_OFF)
    : localStorage.setItem(KEYS_OFF, "1"))));
  document.addEventListener("keydown", (event) => {
    if (!keys.checked || dialog.open || typing(event.target) || event.ctrlKey || event.metaKey ||
        event.altKey) return;
    if (event.key === "/" || event.key === "s" || event.key === "S") {
      event.preventDefault();
      open();
    }
  });
})();
