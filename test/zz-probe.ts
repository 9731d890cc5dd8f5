import { apiRoutes } from '../src/http/routes';
const routes = apiRoutes({} as never, 'http://x');
for (const r of routes) console.log(r.method, r.path, r.access === 'public' ? 'public' : r.access.roles.join(','));
