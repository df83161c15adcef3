/** Finds the engine objects behind a session: its container (from the marker volume) and its service instance. */
import type Docker from 'dockerode';
import { LABEL_INSTANCE } from '../sandbox-server/base/names.ts';
import { markerName } from '../sandbox-server/sessions/markers.ts';

/** The sandbox container of session `sessionId` and the id of the service instance that created it. */
export async function sessionContainer(docker: Docker, sessionId: string): Promise<{ containerId: string; instanceId: string | undefined }> {
  const volume = await docker.getVolume(markerName(sessionId)).inspect();
  const containerId = volume.Labels?.['dockyard.session.containerId'];
  if (!containerId) throw new Error(`marker volume ${markerName(sessionId)} has no dockyard.session.containerId label`);
  const info = await docker.getContainer(containerId).inspect();
  return { containerId, instanceId: info.Config.Labels?.[LABEL_INSTANCE] };
}
