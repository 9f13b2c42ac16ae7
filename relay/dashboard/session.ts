/** The session as GET /v1/merchant/session and sign-in answer it (see MerchantSession). */
export interface Session {
  tenantId: string;
  user: { id: string; email: string; role: 'owner' | 'member'; twoFactorEnabled: boolean };
  livemode: boolean;
  twoFactorVerified: boolean;
  csrfToken: string;
}
