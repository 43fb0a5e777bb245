/** Who is calling: set on the request by the AuthGuard, read with @CurrentPerson(). */
export interface AuthenticatedPerson {
  personId: string;
  municipalityId: string;
  email: string;
}

declare module 'express' {
  interface Request {
    person?: AuthenticatedPerson;
    /** The CSRF token of the web session this request came with, for the forms of the page it renders. */
    csrf?: string;
    /** The web session the request came with, which signing out ends. */
    sessionId?: string;
  }
}
