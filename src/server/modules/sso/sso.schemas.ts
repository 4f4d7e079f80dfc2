import { Type } from '@sinclair/typebox';
import { ALLOWED_SCOPES } from './sso.provider';

const Kind = Type.Union([Type.Literal('confidential'), Type.Literal('public'), Type.Literal('machine')], {
  description:
    'confidential: ứng dụng web có máy chủ (có khóa bí mật); public: SPA/di động (PKCE, không khóa); machine: máy chủ gọi máy chủ (client credentials)',
});
const Uris = Type.Array(Type.String({ maxLength: 2000 }), { maxItems: 20 });
const Scopes = Type.Array(Type.String({ maxLength: 64 }), { maxItems: 20, description: `Trong danh sách: ${ALLOWED_SCOPES.join(', ')}` });

export const SsoClient = Type.Object(
  {
    clientId: Type.String(),
    name: Type.String(),
    kind: Kind,
    redirectUris: Type.Array(Type.String()),
    postLogoutRedirectUris: Type.Array(Type.String()),
    scopes: Type.Array(Type.String()),
    firstParty: Type.Boolean({ description: 'Ứng dụng của tỉnh: bỏ qua bước xin đồng ý' }),
    status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'SsoClient', description: 'Ứng dụng đăng nhập một lần (SSO)' },
);

export const SsoClientCreated = Type.Intersect([
  Type.Ref('SsoClient'),
  Type.Object({ clientSecret: Type.Optional(Type.String({ description: 'Khóa bí mật — chỉ hiển thị một lần' })) }),
]);

export const ClientCreate = Type.Object(
  {
    clientId: Type.Optional(Type.String({ maxLength: 64, description: 'Mã ứng dụng (tự sinh nếu bỏ trống)' })),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    kind: Kind,
    redirectUris: Type.Optional(Uris),
    postLogoutRedirectUris: Type.Optional(Uris),
    scopes: Type.Optional(Scopes),
    firstParty: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const ClientPatch = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    redirectUris: Type.Optional(Uris),
    postLogoutRedirectUris: Type.Optional(Uris),
    scopes: Type.Optional(Scopes),
    firstParty: Type.Optional(Type.Boolean()),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled')])),
  },
  { additionalProperties: false },
);

export const ClientIdParam = Type.Object({ clientId: Type.String({ maxLength: 64 }) });
export const UidParam = Type.Object({ uid: Type.String({ minLength: 1, maxLength: 128 }) });
export const GrantIdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) });

export const Interaction = Type.Object({
  uid: Type.String(),
  prompt: Type.Union([Type.Literal('login'), Type.Literal('consent')]),
  client: Type.Object({ clientId: Type.String(), name: Type.String(), firstParty: Type.Boolean() }),
  scopes: Type.Array(Type.String()),
  claims: Type.Array(Type.String()),
  signedIn: Type.Boolean(),
  account: Type.Union([Type.Object({ displayName: Type.String() }), Type.Null()]),
});

export const RedirectTo = Type.Object({ redirectTo: Type.String() });

export const GrantItem = Type.Object({
  id: Type.String(),
  clientId: Type.String(),
  clientName: Type.String(),
  scopes: Type.Array(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
});
