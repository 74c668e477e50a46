// Renders each LaTeX string of a JSON list (stdin) with KaTeX in display mode, strict.
// Prints a JSON list of error messages ("" for a string that rendered).
const katex = require("katex");
let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const results = JSON.parse(input).map((latex) => {
    try {
      katex.renderToString(latex, { displayMode: true, throwOnError: true, strict: "error" });
      return "";
    } catch (error) {
      return String(error.message);
    }
  });
  process.stdout.write(JSON.stringify(results));
});
