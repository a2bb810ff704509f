// Builds Scrutineer's front-end assets into app/static: GOV.UK Frontend compiled with Dart Sass (Arial, no
// GDS Transport font, no crown), its JavaScript, and our own small script. Run by `make assets`.
import { mkdir, copyFile, writeFile, readdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "app", "static");
const frontend = join(root, "node_modules", "govuk-frontend", "dist", "govuk");

await mkdir(join(out, "css"), { recursive: true });
await mkdir(join(out, "js"), { recursive: true });
await mkdir(join(out, "images"), { recursive: true });

const result = sass.compile(join(root, "assets", "scss", "app.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
await writeFile(join(out, "css", "app.css"), result.css);

await copyFile(join(frontend, "govuk-frontend.min.js"), join(out, "js", "govuk-frontend.min.js"));
for (const name of await readdir(join(root, "assets", "js"))) {
  await copyFile(join(root, "assets", "js", name), join(out, "js", name));
}
for (const name of await readdir(join(root, "assets", "images"))) {
  await copyFile(join(root, "assets", "images", name), join(out, "images", name));
}
console.log(`Built assets into ${out}`);
