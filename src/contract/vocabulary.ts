/** The closed vocabularies the API speaks (its enums), for clients such as the web pages. */
export * from '../domain/vocabulary';
/** Which kind of organisation each role belongs to (none for an admin). */
export { ROLE_ORGANISATION } from '../domain/access';
