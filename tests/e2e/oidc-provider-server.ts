/**
 * The OpenID provider the browser tests sign in at: panva's oidc-provider on loopback, with its
 * own login and consent pages. Run by playwright.config.ts beside the course server:
 *   node tests/e2e/oidc-provider-server.ts <port> <redirect URI>
 */
import { startTestProvider } from '../support/oidc-provider.ts';

const [port, redirectUri] = process.argv.slice(2);
if (!port || !redirectUri) throw new Error('usage: oidc-provider-server.ts <port> <redirect URI>');
const provider = await startTestProvider([redirectUri], Number(port));
console.log(`OpenID provider at ${provider.issuer}`);
process.on('SIGTERM', () => void provider.close().then(() => process.exit(0)));
