import net from 'node:net';

/** Tests talk to this machine only: any outbound connection elsewhere fails loudly. */
const LOCAL = /^(127\.|::1$|localhost$|::ffff:127\.)/;
const originalConnect = net.Socket.prototype.connect;

type ConnectArgs = Parameters<typeof originalConnect>;

net.Socket.prototype.connect = function connect(this: net.Socket, ...args: ConnectArgs) {
  const first = args[0] as unknown;
  const options = (typeof first === 'object' && first !== null ? first : {}) as { host?: string; path?: string };
  const host = typeof first === 'number' ? (typeof args[1] === 'string' ? args[1] : 'localhost') : options.host;
  if (!options.path && host !== undefined && !LOCAL.test(host)) {
    throw new Error(`Test tried to reach ${host}: outbound network is blocked in tests.`);
  }
  return originalConnect.apply(this, args);
} as typeof originalConnect;
