import { tokensService } from '../../extracted/tokens/main';
import { usersService } from '../../extracted/users/main';
import { weatherService } from '../../extracted/weather/main';
import { EXTRACTABLE_MODULES, type ExtractableModule } from '../config';
import { runService, type ServiceDefinition } from '../service-host/service-host';

/** `npm run service -- NAME`: one extracted service alone. The map's type makes a new extractable module without a service fail to compile. */
const services: Record<ExtractableModule, ServiceDefinition> = {
  users: usersService,
  weather: weatherService,
  tokens: tokensService,
};

function isExtractable(name: string | undefined): name is ExtractableModule {
  return (EXTRACTABLE_MODULES as readonly string[]).includes(name ?? '');
}

const name = process.argv[2];
if (!isExtractable(name)) {
  const given = name === undefined ? 'no service named' : `unknown service "${name}"`;
  process.stderr.write(`jeeves: ${given}; choose one of: ${EXTRACTABLE_MODULES.join(', ')} (npm run service -- <name>)\n`);
  process.exit(1);
}
void runService(services[name]);
