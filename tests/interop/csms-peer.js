// The reference CSMS core for tests/BmwWallbox.LoadBenchmark: ocpp-rpc's RPCServer in strict mode
// (every request and response validated against the OCPP 2.0.1 JSON schemas) over TLS with Basic
// auth, answering what the load generator sends. Not a test; the benchmark starts it.
//
// Environment: PEER_PORT, PEER_CERT_FILE, PEER_KEY_FILE (PEM, the same certificate bmw-rules
// serves), PEER_PASSWORD (every station's password). Prints "listening" once it accepts.
'use strict';
const fs = require('fs');
const https = require('https');
const { RPCServer } = require('ocpp-rpc');

const port = Number(process.env.PEER_PORT);
const password = process.env.PEER_PASSWORD;
const now = () => new Date().toISOString();

const server = new RPCServer({ protocols: ['ocpp2.0.1'], strictMode: true });
server.auth((accept, reject, handshake) => {
  if (handshake.password && handshake.password.toString('utf8') === password) accept({});
  else reject(401);
});
server.on('client', (client) => {
  client.handle('BootNotification', () => ({ currentTime: now(), interval: 300, status: 'Accepted' }));
  client.handle('Heartbeat', () => ({ currentTime: now() }));
  client.handle('StatusNotification', () => ({}));
  client.handle('MeterValues', () => ({}));
  client.handle('TransactionEvent', ({ params }) => (params.idToken ? { idTokenInfo: { status: 'Accepted' } } : {}));
});

const httpsServer = https.createServer({
  cert: fs.readFileSync(process.env.PEER_CERT_FILE),
  key: fs.readFileSync(process.env.PEER_KEY_FILE),
});
httpsServer.on('upgrade', server.handleUpgrade);
httpsServer.listen(port, '127.0.0.1', () => console.log('listening'));
