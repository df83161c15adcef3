import type { AuthProviders } from '../../../sandbox-server/contract/classroom.ts';
import { callApi } from './api.ts';

/**
 * Shows "Sign in with <institution>" in `link` when the server has OpenID Connect sign-in set
 * up; the provider sends the browser back to `returnTo` (a path on this site). Says whether it did.
 */
export async function offerInstitutionSignIn(link: HTMLAnchorElement, returnTo: string | null): Promise<boolean> {
  const providers = await callApi<AuthProviders>('/api/auth/providers').catch(() => null);
  if (!providers?.oidc) return false;
  const back = returnTo && returnTo.startsWith('/') && !returnTo.startsWith('//') ? `?returnTo=${encodeURIComponent(returnTo)}` : '';
  link.href = `${providers.oidc.startUrl}${back}`;
  link.textContent = `Sign in with ${providers.oidc.name}`;
  link.hidden = false;
  return true;
}
