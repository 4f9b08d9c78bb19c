// The login page: its own chunk, so a signed-in user never loads it.
export { LoginPage } from '../../features/auth/LoginPage'
