export const bearerHeaders = (token: string) => ({ authorization: `Bearer ${token}` });
