// `./build.sh demo`, after the build: the local Zhenzi sandbox on 127.0.0.1:8787 (the relayUrl of
// miniprogram-demo/miniprogram/config.js), kept running in the foreground until Ctrl-C, with what
// to open in WeChat DevTools and which settings it needs. Every request is printed, and every
// message the sandbox "delivers" too, so the code can be read here as well as in the inbox.
//   node tools/demo-server.js [--port N]
'use strict';
const { startSandbox } = require('../sandbox/server.js');

const DEFAULT_PORT = 8787; // the port miniprogram-demo/README.md and config.js name

function portArg(argv) {
  const i = argv.indexOf('--port');
  if (i < 0) return DEFAULT_PORT;
  const port = Number(argv[i + 1]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error('--port needs a number 1–65535');
  return port;
}

function instructions(url, port) {
  const other = port === DEFAULT_PORT ? '' : `
  ! 端口不是 ${DEFAULT_PORT}：把 miniprogram-demo/miniprogram/config.js 的 relayUrl 改为 ${url}
  ! Not port ${DEFAULT_PORT}: set relayUrl in miniprogram-demo/miniprogram/config.js to ${url}`;
  return `
本地沙箱 / local Zhenzi sandbox: ${url}${other}

微信开发者工具 / WeChat DevTools:
  1. 导入项目 (Import project) → 选择目录 / folder: miniprogram-demo/   (not miniprogram-demo/miniprogram/)
  2. AppID: 保留 touristappid / keep touristappid: the demo opens in direct mode against this sandbox
     (a one-line banner says so). 云函数模式 / cloud mode: your own appid + cloudEnv in config.js
  3. 详情 → 本地设置 (Details → Local settings): 勾选 / tick 「不校验合法域名、web-view（业务域名）、TLS 版本以及 HTTPS 证书」
     (project.config.json already has setting.urlCheck = false); 调试基础库 / debug base library ≥ 2.15.0
  4. 登录页输入手机号 / on the login page enter e.g. 15871770252 → 获取验证码; the code shows below and at
     ${url}/__inbox/15871770252

Ctrl-C 停止 / stops the sandbox.
`;
}

async function main() {
  const port = portArg(process.argv.slice(2));
  let sb = null;
  const log = (line) => {
    console.log('  ' + line);
    // A send that succeeded: show the delivered message (the sandbox's "phone").
    const last = sb && sb.requests[sb.requests.length - 1];
    if (last && last.code === 0 && /send/.test(last.path) && last.form) console.log(`    → ${last.form.number}: ${last.form.message || last.form.templateParams || ''}`);
  };
  try {
    sb = await startSandbox({ port, log });
  } catch (e) {
    if (e && e.code === 'EADDRINUSE') {
      console.error(`demo: 127.0.0.1:${port} is in use (is a demo already running?). Stop it, or use --port N and change relayUrl in config.js.`);
      process.exit(1);
    }
    throw e;
  }
  console.log(instructions(sb.url, sb.port));
  const stop = () => sb.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((e) => {
    console.error('demo: ' + (e.stack || e));
    process.exit(1);
  });
}

module.exports = { DEFAULT_PORT };
