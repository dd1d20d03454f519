// A listing's own EJS template, rendered as Quarto renders it (listing_templates.py runs this with Node.js):
// lodash's template, in which <%= %> writes a value as it is, <%- %> escapes it and <% %> runs code (print()
// writes), with Quarto's partial(file, data) and include(file, data), files beside the template; a partial's
// empty lines are dropped, the template's own kept and runs of them made one, as Quarto does.
// Reads {"lodash": path, "template": path, "data": {...}} on stdin; writes the Markdown to stdout.
const fs = require("fs");
const path = require("path");

const input = JSON.parse(fs.readFileSync(0, "utf8"));
const _ = require(input.lodash);

function renderEjs(file, data, removeEmptyLines) {
  const text = "<% const partial = (file, data) => print(include(file, data)); %>\n" + fs.readFileSync(file, "utf8");
  const compiled = _.template(text, {
    imports: { include: (other, otherData) => renderEjs(path.join(path.dirname(file), other), otherData, true) },
  });
  return compiled(data).trimStart().split(/\r?\n/)
    .filter((line) => !removeEmptyLines || line.trim().length > 0).join("\n") + "\n";
}

// Quarto's helpers for custom templates: utils.b64encode/b64decode, and metadataAttrs(item), the data-
// attributes its listing script filters by (an index, the categories; sortable values are not given here)
const b64encode = (text) => Buffer.from(String(text), "utf8").toString("base64");
let index = 0;
input.data.utils = { b64encode, b64decode: (text) => Buffer.from(String(text), "base64").toString("utf8") };
input.data.metadataAttrs = (item) => [`data-index='${index++}'`,
  ...(item.categories ? [`data-categories='${b64encode(item.categories.join(","))}'`] : [])].join(" ");

try {
  process.stdout.write(renderEjs(input.template, input.data, false).replace(/(\r\n|\r|\n){2,}/g, "$1$1"));
} catch (error) {
  process.stderr.write(String(error && error.message ? error.message : error) + "\n");
  process.exit(1);
}
