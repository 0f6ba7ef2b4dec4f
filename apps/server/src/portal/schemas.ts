/** TypeBox schemas shared by the portal routes (validation, serialisation and the OpenAPI document). */
import { type TObject, type TSchema, type TString, Type } from "typebox";

export const closed = { additionalProperties: false } as const;

/** `schema` or null. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const Uuid = Type.String({ format: "uuid" });
export const DateTime = Type.String({ format: "date-time" });

/** A portal slug: lower-case letters, digits and inner dashes, 1 to 64 characters. */
export const SLUG_PATTERN = "^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$";
export const SlugSchema = Type.String({ pattern: SLUG_PATTERN, maxLength: 64 });

/** The `:org` path parameter alone. */
export const OrgParams = Type.Object({ org: Type.String({ maxLength: 64 }) }, closed);

/** `:org` plus uuid parameters with the given names. */
export function orgParamsWith<const K extends string>(
  ...names: K[]
): TObject<{ org: TString } & { [P in K]: TString }> {
  const props: Record<string, TSchema> = { org: Type.String({ maxLength: 64 }) };
  for (const n of names) props[n] = Uuid;
  return Type.Object(props, closed) as unknown as TObject<{ org: TString } & { [P in K]: TString }>;
}

export const OrgRoleSchema = Type.Union([
  Type.Literal("observer"),
  Type.Literal("member"),
  Type.Literal("admin"),
  Type.Literal("owner"),
]);
export const PortalRoleSchema = Type.Union([OrgRoleSchema, Type.Literal("public")]);

export const FrameTypeSchema = Type.Union([
  Type.Literal("light"),
  Type.Literal("bias"),
  Type.Literal("dark"),
  Type.Literal("flat"),
  Type.Literal("arc"),
  Type.Literal("other"),
]);

export const NameSchema = Type.String({ minLength: 1, maxLength: 200 });
export const TextSchema = Type.String({ maxLength: 20_000 });
