// Prints the failing tests of vitest JSON reports (name, file, first lines of the message), so the
// end of a CI log says what failed even when only its tail is kept; tests that passed only on retry too.
const fs = require('node:fs');
for (const file of process.argv.slice(2)) {
  if (!fs.existsSync(file)) continue;
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const suite of report.testResults ?? []) {
    const where = suite.name.replace(process.cwd() + '/', '');
    if (suite.status === 'failed' && (suite.assertionResults ?? []).every((t) => t.status !== 'failed')) {
      console.log(`✗ ${where}: ${(suite.message || 'suite failed').split('\n').slice(0, 6).join('\n    ')}`);
    }
    for (const test of suite.assertionResults ?? []) {
      if (test.status === 'passed' && test.failureMessages?.length) {
        const first = test.failureMessages[0].split('\n').slice(0, 4).join('\n    ');
        console.log(`↻ passed on retry [${file.split('/').pop()}] ${where} › ${test.fullName}\n    ${first}`);
      }
      if (test.status !== 'failed') continue;
      const message = (test.failureMessages ?? []).join('\n').split('\n').slice(0, 8).join('\n    ');
      console.log(`✗ [${file.split('/').pop()}] ${where} › ${test.fullName}\n    ${message}`);
    }
  }
}
