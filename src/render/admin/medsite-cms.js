/* medsite's part of the web editor at /admin/: a conditions field that
   suggests the site's existing conditions, previews in the site's own
   style, and the start of Decap CMS with this tab's address of
   `medsite serve`'s local backend (so a save from another tab, or from a
   text editor, is noticed rather than overwritten). */
(function () {
  "use strict";
  var CMS = window.CMS;
  var h = window.h;
  var createClass = window.createClass;
  var settings = JSON.parse(document.getElementById("medsite-cms").textContent);

  function toArray(value) {
    if (!value) return [];
    if (typeof value.toJS === "function") return value.toJS();
    return Array.isArray(value) ? value.slice() : [];
  }

  function suggestionsFor(field, locale) {
    var all = field.get("suggestions");
    if (!all) return [];
    var list = all.get(locale) || all.get(settings.defaultLocale);
    return toArray(list);
  }

  /* Conditions: a list of names, typed or picked from the site's. */
  var ConditionsControl = createClass({
    getInitialState: function () {
      return { text: "" };
    },
    add: function () {
      var name = this.state.text.trim();
      if (!name) return;
      var list = toArray(this.props.value);
      if (list.indexOf(name) === -1) list.push(name);
      this.props.onChange(list);
      this.setState({ text: "" });
    },
    remove: function (i) {
      var list = toArray(this.props.value);
      list.splice(i, 1);
      this.props.onChange(list);
    },
    render: function () {
      var self = this;
      var id = this.props.forID;
      var listId = id + "-suggestions";
      var items = toArray(this.props.value);
      var options = suggestionsFor(this.props.field, this.props.locale).filter(function (s) {
        return items.indexOf(s) === -1;
      });
      return h(
        "div",
        { className: this.props.classNameWrapper },
        h(
          "ul",
          { className: "medsite-conditions", style: { listStyle: "none", padding: 0, margin: "0 0 8px" } },
          items.map(function (name, i) {
            return h(
              "li",
              { key: name, style: { display: "flex", gap: "8px", alignItems: "center", margin: "4px 0" } },
              h("span", null, name),
              h(
                "button",
                {
                  type: "button",
                  onClick: function () { self.remove(i); },
                  "aria-label": "Remove " + name,
                },
                "Remove"
              )
            );
          })
        ),
        h(
          "div",
          { style: { display: "flex", gap: "8px" } },
          h("input", {
            id: id,
            type: "text",
            list: listId,
            value: this.state.text,
            autoComplete: "off",
            style: {
              flex: "1",
              padding: "8px 12px",
              font: "inherit",
              color: "inherit",
              background: "#fff",
              border: "2px solid #dfdfe3",
              borderRadius: "5px",
            },
            "aria-describedby": this.props.forID + "-help",
            onChange: function (e) { self.setState({ text: e.target.value }); },
            onKeyDown: function (e) {
              if (e.key === "Enter") {
                e.preventDefault();
                self.add();
              }
            },
            onBlur: function () { self.add(); },
            onFocus: this.props.setActiveStyle,
          }),
          h(
            "datalist",
            { id: listId },
            options.map(function (name) { return h("option", { key: name, value: name }); })
          ),
          h("button", { type: "button", onClick: function () { self.add(); } }, "Add condition")
        ),
        h(
          "p",
          { id: this.props.forID + "-help", style: { margin: "6px 0 0", fontSize: "13px" } },
          "Type a condition, or pick one the site already has, then press Enter or Add condition."
        )
      );
    },
  });

  var ConditionsPreview = createClass({
    render: function () {
      var items = toArray(this.props.value);
      return h("p", null, items.join(", "));
    },
  });

  CMS.registerWidget("medsite-conditions", ConditionsControl, ConditionsPreview);

  /* Previews look like the site: its stylesheet and its page layout. */
  CMS.registerPreviewStyle(settings.stylesheet);
  var PagePreview = createClass({
    render: function () {
      var entry = this.props.entry;
      var get = function (k) { return entry.getIn(["data", k]); };
      var names = toArray(get("brand_names"));
      return h(
        "main",
        { id: "main", className: "main", style: { padding: "16px" } },
        h(
          "article",
          { className: "page" },
          h("h1", null, get("title") || ""),
          get("generic_name")
            ? h("p", { className: "generic" }, get("generic_name") + (names.length ? " (" + names.join(", ") + ")" : ""))
            : null,
          get("summary") ? h("p", { className: "summary" }, get("summary")) : null,
          this.props.widgetFor("body")
        )
      );
    },
  });
  settings.collections.forEach(function (name) {
    CMS.registerPreviewTemplate(name, PagePreview);
  });

  /* Before a save: fields left empty are left out of the front matter,
     and so is `draft: false` (the handler's result is the entry's new
     data; medsite reads an empty field of a translation as not given). */
  function isEmpty(v) {
    if (v === "" || v === null || v === undefined) return true;
    if (Array.isArray(v)) return v.length === 0;
    return typeof v === "object" && typeof v.size === "number" && v.size === 0;
  }
  function clean(v) {
    if (v && typeof v === "object" && typeof v.filterNot === "function") {
      return v.map(clean).filterNot(isEmpty);
    }
    if (Array.isArray(v)) return v.map(clean).filter(function (x) { return !isEmpty(x); });
    return v;
  }
  CMS.registerEventListener({
    name: "preSave",
    handler: function (args) {
      var data = args.entry.get("data");
      if (!data || typeof data.filterNot !== "function") return data;
      var body = data.get("body");
      var out = clean(data);
      if (out.get("draft") === false) out = out.delete("draft");
      return body === undefined ? out : out.set("body", body);
    },
  });

  function tabId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  CMS.init({
    config: {
      local_backend: { url: location.origin + settings.localBackend + tabId() },
    },
  });
})();
