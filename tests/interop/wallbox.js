// An independent OCPP 2.0.1 peer for interop tests: ocpp-rpc's RPCClient in strict mode plays
// a BMW-like wallbox against our CSMS. Every message in both directions is validated against
// the official OCPP 2.0.1 JSON schemas; any violation, CALLERROR or unexpected answer makes the
// process exit non-zero.
//
// Environment: OCPP_URL (e.g. wss://127.0.0.1:9000, without the station id), OCPP_STATION_ID,
// OCPP_PASSWORD, optional OCPP_CA_FILE (PEM to trust; otherwise any certificate is accepted).
//
// Script: BootNotification, Heartbeat, StatusNotification, TransactionEvent Started,
// NotifyEVChargingNeeds, NotifyEvent, TransactionEvent Updated (Charging, meter values). Then it
// serves the CSMS's commands (SetChargingProfile, ClearChargingProfile, GetVariables,
// SetVariables, TriggerMessage, Reset). Reset ends the transaction (plus an offline replay of an
// old event), reports Available and closes with exit code 0.
'use strict';
const fs = require('fs');
const { RPCClient } = require('ocpp-rpc');

const url = required('OCPP_URL');
const identity = required('OCPP_STATION_ID');
const password = required('OCPP_PASSWORD');
const failures = [];
const transactionId = 'interop-tx-1';
let seqNo = 0;
let energyWh = 1000;

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`missing environment variable ${name}`);
    process.exit(2);
  }
  return value;
}

function log(...args) {
  console.log(new Date().toISOString(), ...args);
}

function fail(message) {
  failures.push(message);
  console.error(`FAIL: ${message}`);
}

function expect(condition, message) {
  if (!condition) fail(message);
}

const now = () => new Date().toISOString();

const meterValue = (powerW, currentA) => [{
  timestamp: now(),
  sampledValue: [
    { value: energyWh, context: 'Sample.Periodic', measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' } },
    { value: powerW / 1000, context: 'Sample.Periodic', measurand: 'Power.Active.Import', unitOfMeasure: { unit: 'kW' } },
    { value: currentA, measurand: 'Current.Import', phase: 'L1', unitOfMeasure: { unit: 'A' } },
    { value: currentA, measurand: 'Current.Import', phase: 'L2', unitOfMeasure: { unit: 'A' } },
    { value: currentA, measurand: 'Current.Import', phase: 'L3', unitOfMeasure: { unit: 'A' } },
    { value: 230.1, measurand: 'Voltage', phase: 'L1-N', unitOfMeasure: { unit: 'V' } },
  ],
}];

const transactionEvent = (eventType, triggerReason, chargingState, extra = {}) => ({
  eventType,
  timestamp: now(),
  triggerReason,
  seqNo: seqNo++,
  transactionInfo: { transactionId, chargingState, ...(extra.transactionInfo ?? {}) },
  ...extra.fields,
});

const ca = process.env.OCPP_CA_FILE ? fs.readFileSync(process.env.OCPP_CA_FILE) : undefined;
const client = new RPCClient({
  endpoint: url,
  identity,
  password,
  protocols: ['ocpp2.0.1'],
  strictMode: true,
  reconnect: false,
  callTimeoutMs: 10000,
  wsOpts: ca ? { ca } : { rejectUnauthorized: false },
});

client.on('strictValidationFailure', ({ method, outbound, isCall, error }) =>
  fail(`strict validation of ${outbound ? 'our' : 'the CSMS\'s'} ${isCall ? 'call' : 'answer'} ${method}: ${error.message}`));
client.on('badMessage', ({ buffer, error }) => fail(`bad message from the CSMS: ${error.message}: ${buffer}`));
client.on('message', ({ message, outbound }) => log(outbound ? '>>' : '<<', message));

let finish;
const finished = new Promise(resolve => { finish = resolve; });

client.handle('SetChargingProfile', ({ params }) => {
  const profile = params.chargingProfile;
  expect(params.evseId === 1, `SetChargingProfile evseId ${params.evseId}`);
  expect(profile.chargingSchedule[0].chargingSchedulePeriod[0].startPeriod === 0, 'first period must start at 0');
  return { status: 'Accepted' };
});

// Quirk 6: the BMW box answers Unknown when no profile matched.
client.handle('ClearChargingProfile', () => ({ status: 'Unknown' }));

client.handle('GetVariables', ({ params }) => ({
  getVariableResult: params.getVariableData.map(d => d.component.name === 'OCPPCommCtrlr' && d.variable.name === 'HeartbeatInterval'
    ? { attributeStatus: 'Accepted', attributeValue: '10', component: d.component, variable: d.variable }
    : { attributeStatus: 'UnknownVariable', component: d.component, variable: d.variable }),
}));

// Like the BMW box: TxCtrlr.StopTxOnEVSideDisconnect is read-only.
client.handle('SetVariables', ({ params }) => ({
  setVariableResult: params.setVariableData.map(d => ({
    attributeStatus: d.component.name === 'TxCtrlr' && d.variable.name === 'StopTxOnEVSideDisconnect' ? 'Rejected' : 'Accepted',
    component: d.component,
    variable: d.variable,
  })),
}));

client.handle('TriggerMessage', ({ params }) => {
  if (params.requestedMessage !== 'MeterValues') return { status: 'Rejected' };
  energyWh += 250;
  setImmediate(() => client.call('MeterValues', { evseId: 1, meterValue: meterValue(7200, 10.4) })
    .catch(e => fail(`MeterValues: ${e.message}`)));
  return { status: 'Accepted' };
});

client.handle('Reset', ({ params }) => {
  expect(params.type === 'Immediate', `Reset type ${params.type}`);
  setImmediate(() => endTransaction().then(finish, e => { fail(`after Reset: ${e.message}`); finish(); }));
  return { status: 'Accepted' };
});

client.handle(({ method }) => {
  fail(`unexpected command ${method}`);
  const { createRPCError } = require('ocpp-rpc');
  throw createRPCError('NotImplemented');
});

async function call(method, params) {
  const answer = await client.call(method, params);
  log(`${method} answered`, JSON.stringify(answer));
  return answer;
}

async function startTransaction() {
  const boot = await call('BootNotification', {
    chargingStation: { model: 'EIAW-E22KTSE6B04', vendorName: 'BMW', serialNumber: 'INTEROP-1', firmwareVersion: '01.20.06.71' },
    reason: 'PowerUp',
  });
  expect(boot.status === 'Accepted', `BootNotification status ${boot.status}`);
  expect(boot.interval > 0, `BootNotification interval ${boot.interval}`);
  expect(/Z$/.test(boot.currentTime), `currentTime not UTC: ${boot.currentTime}`);

  const heartbeat = await call('Heartbeat', {});
  expect(/Z$/.test(heartbeat.currentTime), `Heartbeat currentTime not UTC: ${heartbeat.currentTime}`);
  await call('StatusNotification', { timestamp: now(), connectorStatus: 'Available', evseId: 1, connectorId: 1 });
  await call('StatusNotification', { timestamp: now(), connectorStatus: 'Occupied', evseId: 1, connectorId: 1 });

  const authorize = await call('Authorize', { idToken: { idToken: 'INTEROP-CARD', type: 'ISO14443' } });
  expect(authorize.idTokenInfo.status === 'Accepted', `Authorize status ${authorize.idTokenInfo.status}`);

  const started = await call('TransactionEvent', transactionEvent('Started', 'CablePluggedIn', 'EVConnected', {
    fields: { evse: { id: 1, connectorId: 1 }, idToken: { idToken: 'INTEROP-CARD', type: 'ISO14443' }, meterValue: meterValue(0, 0) },
  }));
  expect(started.idTokenInfo?.status === 'Accepted', `TransactionEvent idTokenInfo ${JSON.stringify(started.idTokenInfo)}`);

  const needs = await call('NotifyEVChargingNeeds', {
    evseId: 1,
    chargingNeeds: {
      requestedEnergyTransfer: 'AC_three_phase',
      departureTime: new Date(Date.now() + 8 * 3600 * 1000).toISOString(),
      acChargingParameters: { energyAmount: 30000, evMinCurrent: 6, evMaxCurrent: 16, evMaxVoltage: 400 },
    },
  });
  expect(['Accepted', 'Rejected', 'Processing'].includes(needs.status), `NotifyEVChargingNeeds status ${needs.status}`);

  await call('NotifyEvent', {
    generatedAt: now(),
    seqNo: 0,
    eventData: [{
      eventId: 1, timestamp: now(), trigger: 'Delta', actualValue: 'Occupied', eventNotificationType: 'HardWiredNotification',
      component: { name: 'Connector', evse: { id: 1, connectorId: 1 } }, variable: { name: 'AvailabilityState' },
    }],
  });

  energyWh += 500;
  await call('TransactionEvent', transactionEvent('Updated', 'ChargingStateChanged', 'Charging', { fields: { meterValue: meterValue(11000, 15.9) } }));
  log('READY: charging, waiting for commands');
}

async function endTransaction() {
  // A queued event from before, replayed as after a reconnect (quirk 12): same transaction and seqNo as the Updated one.
  await call('TransactionEvent', {
    eventType: 'Updated', timestamp: now(), triggerReason: 'ChargingStateChanged', seqNo: 1, offline: true,
    transactionInfo: { transactionId, chargingState: 'SuspendedEV' },
  });
  energyWh += 100;
  await call('TransactionEvent', transactionEvent('Ended', 'ResetCommand', 'Idle', {
    transactionInfo: { stoppedReason: 'ImmediateReset' }, fields: { meterValue: meterValue(0, 0) },
  }));
  await call('StatusNotification', { timestamp: now(), connectorStatus: 'Available', evseId: 1, connectorId: 1 });
}

async function main() {
  const guard = setTimeout(() => { fail('no Reset from the CSMS within 60 s'); finish(); }, 60000);
  try {
    await client.connect();
    log(`connected, subprotocol ${client.protocol}`);
    expect(client.protocol === 'ocpp2.0.1', `negotiated subprotocol ${client.protocol}`);
    await startTransaction();
    await finished;
  } catch (e) {
    fail(e.stack ?? String(e));
  } finally {
    clearTimeout(guard);
    await client.close({ code: 1000, reason: 'interop done' }).catch(() => {});
  }
  if (failures.length > 0) {
    console.error(`INTEROP FAILED (${failures.length}):\n${failures.join('\n')}`);
    process.exit(1);
  }
  log('INTEROP OK');
}

main();
