// Runs one miniprogram-ci job in its own process (the tool's process does not exit by itself, and
// it is heavy): node ci-child.js '<job JSON>' → one line 'CI-RESULT <JSON>' on stdout, then exit.
// Jobs: {op: 'packNpm', projectPath}
//       {op: 'compile', projectPath, outDir, setting}   writes the compiled files into outDir
//       {op: 'analyse', projectPath}
// Preloaded with ./loopback-only.js (see ./ci.js).
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { miniprogramCi } = require('../cloudbase/official-tools.js');

const ci = miniprogramCi();

// Any RSA key serves: local compiles never sign anything.
function keyFile() {
  const file = path.join(process.cwd(), 'private.key'); // the job's own folder (./ci.js removes it)
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  fs.writeFileSync(file, privateKey.export({ type: 'pkcs1', format: 'pem' }));
  return file;
}

function project(projectPath) {
  // attr: the default project attributes, instead of asking WeChat's server for the appid's.
  return new ci.Project({ appid: 'touristappid', type: 'miniProgram', projectPath, privateKeyPath: keyFile(), ignores: ['node_modules/**/*'], attr: async () => ci.DefaultProjectAttr });
}

function write(outDir, files) {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(outDir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, typeof content === 'string' ? content : Buffer.from(content));
  }
  return Object.keys(files).sort();
}

async function runJob(job) {
  if (job.op === 'packNpm') {
    const reports = [];
    const warnings = await ci.packNpm(project(job.projectPath), { reporter: (r) => reports.push(r) });
    return { warnings, reports };
  }
  if (job.op === 'compile') {
    // the tool's own output (a file) goes beside; the files it returns are written out here
    const files = await ci.getCompiledResult({ project: project(job.projectPath), setting: job.setting, onProgressUpdate: () => {} }, job.outDir + '.ci-output');
    return { files: write(job.outDir, files) };
  }
  if (job.op === 'analyse') return { analysis: await ci.analyseCode(project(job.projectPath)) };
  throw new Error('unknown job ' + job.op);
}

runJob(JSON.parse(process.argv[2])).then(
  (result) => {
    process.stdout.write('\nCI-RESULT ' + JSON.stringify({ ok: result }) + '\n', () => process.exit(0));
  },
  (e) => {
    const error = { message: String(e && e.message ? e.message : e), code: e && e.code };
    process.stdout.write('\nCI-RESULT ' + JSON.stringify({ error }) + '\n', () => process.exit(0));
  },
);
