export { generatePassword, hashPassword } from './passwords.js';
export { emailIsTaken, insertUser, type NewUserRow } from './users.repository.js';
