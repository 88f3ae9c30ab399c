/**
 * mediasoup's parameter objects as they cross the wire, named once for both
 * ends. They are mediasoup-client's own types (type-only import: nothing of
 * mediasoup-client is loaded by the server); mediasoup's server types have the
 * same shape. The server validates their outline with zod (payloads.ts) and
 * mediasoup checks them in depth.
 */
import type { types } from 'mediasoup-client';

export type RtpCapabilities = types.RtpCapabilities;
export type RtpParameters = types.RtpParameters;
export type DtlsParameters = types.DtlsParameters;
export type IceParameters = types.IceParameters;
export type IceCandidate = types.IceCandidate;
