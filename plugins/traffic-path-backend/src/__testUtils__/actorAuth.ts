/*
 * Backstage's mock auth service, except that a plugin's request on behalf
 * of a user carries the plugin as the user's actor, as real tokens do. The
 * permission backend refuses conditional decisions for a user without an
 * actor (a direct request), so the catalog's conditional read permission
 * can only be tested through plugins with this.
 */
import {
  AuthService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';

export const actorAuthServiceFactory = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }): AuthService {
    const inner = mockServices.auth({ pluginId: plugin.getId() });
    return {
      authenticate: (token, options) => inner.authenticate(token, options),
      isPrincipal: inner.isPrincipal.bind(inner) as AuthService['isPrincipal'],
      getNoneCredentials: () => inner.getNoneCredentials(),
      getOwnServiceCredentials: () => inner.getOwnServiceCredentials(),
      getLimitedUserToken: credentials =>
        inner.getLimitedUserToken(credentials),
      listPublicServiceKeys: () => inner.listPublicServiceKeys(),
      async getPluginRequestToken(options) {
        const principal = options.onBehalfOf.principal as {
          type: string;
          userEntityRef?: string;
        };
        if (principal.type !== 'user' || !principal.userEntityRef)
          return inner.getPluginRequestToken(options);
        return {
          token: mockCredentials.user.token(principal.userEntityRef, {
            actor: { subject: `plugin:${plugin.getId()}` },
          }),
        };
      },
    };
  },
});
