// Copies the npm files that the widget serves into public/widget/vendor/ (committed, so
// `./wegwijzer start` needs no npm). Run after changing a version in package.json:
//   cd assistant/web && npm install && npm run build
import { readFileSync, writeFileSync } from "node:fs";

const UTRECHT_COMPONENTS = ["button", "form-label", "link", "textbox", "ordered-list", "unordered-list"];
const vendor = new URL("public/widget/vendor/", import.meta.url);
const modules = new URL("node_modules/", import.meta.url);
const version = (name) => JSON.parse(readFileSync(new URL(`${name}/package.json`, modules))).version;

function copySocketIoClient() {
  const source = readFileSync(new URL("socket.io-client/dist/socket.io.min.js", modules), "utf8");
  const withoutSourceMap = source.replace(/\n\/\/# sourceMappingURL=.*\s*$/, "\n");
  writeFileSync(new URL("socket.io.min.js", vendor), withoutSourceMap);
}

function bundleUtrechtCss() {
  const parts = UTRECHT_COMPONENTS.map((component) => {
    const name = `@utrecht/${component}-css`;
    const css = readFileSync(new URL(`${name}/dist/index.css`, modules), "utf8");
    return `/* ${name} ${version(name)} */\n${css.trim()}\n`;
  });
  const header = "/* NL Design System components (Utrecht component library), built by assistant/web/build.mjs. */\n";
  writeFileSync(new URL("utrecht.css", vendor), header + parts.join("\n"));
}

copySocketIoClient();
bundleUtrechtCss();
console.log(`socket.io-client ${version("socket.io-client")} and ${UTRECHT_COMPONENTS.length} Utrecht components copied to ${vendor.pathname}`);
