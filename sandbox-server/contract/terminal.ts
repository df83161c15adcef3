import { z } from 'zod';

/** Largest WebSocket frame a client may send (a bigger paste is sent in pieces). */
export const MAX_FRAME_BYTES = 1024 * 1024;

/** Control frames a client sends as JSON text; terminal bytes go as binary frames. */
export const ControlFrameSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('resize'),
      cols: z.number().int().min(1).max(1000).describe('Columns of the terminal.'),
      rows: z.number().int().min(1).max(500).describe('Rows of the terminal.'),
    })
    .describe('The terminal changed size.'),
  z.object({ type: z.literal('input'), data: z.string().max(MAX_FRAME_BYTES).describe('Text typed or pasted.') }).describe('Input as text.'),
  z.object({ type: z.literal('ping') }).describe('A heartbeat: keeps the session alive, answered with a pong.'),
]);

/** Control frames the server sends as JSON text. */
export const ServerFrameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('pong') }).describe('The answer to a ping.'),
  z.object({ type: z.literal('error'), message: z.string().describe('What was wrong with the frame.') }).describe('A frame was refused.'),
]);

/** A control frame from the client. */
export type ControlFrame = z.infer<typeof ControlFrameSchema>;
/** A control frame from the server. */
export type ServerFrame = z.infer<typeof ServerFrameSchema>;
