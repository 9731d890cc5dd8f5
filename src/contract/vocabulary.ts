/** The closed vocabularies the API speaks (its enums), for clients such as the web pages. */
export * from '../domain/vocabulary';
